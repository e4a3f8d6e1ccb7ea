namespace HcsLicensing.SmartAccountSync.Cssm;

/// <summary>
/// A smart account's API client. The secret lives here only in memory, decrypted just before a call; ToString leaves
/// it out so that no log line or exception message can carry it.
/// </summary>
public sealed class CssmCredentials(string clientId, string clientSecret, string? smartAccountDomain = null)
{
    public string ClientId { get; } = clientId;

    public string ClientSecret { get; } = clientSecret;

    /// <summary>The smart account the call is for: its transport settings choose the route (null: the default route).</summary>
    public string? SmartAccountDomain { get; } = smartAccountDomain;

    public override string ToString() => $"client {ClientId}";
}
