namespace HcsLicensing.SmartAccountSync.Cssm;

/// <summary>
/// A smart account's API client. The secret lives here only in memory, decrypted just before a call; ToString leaves
/// it out so that no log line or exception message can carry it.
/// </summary>
public sealed class CssmCredentials(string clientId, string clientSecret)
{
    public string ClientId { get; } = clientId;

    public string ClientSecret { get; } = clientSecret;

    public override string ToString() => $"client {ClientId}";
}
