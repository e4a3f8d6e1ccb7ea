namespace HcsLicensing.SmartAccountSync.Tokens;

/// <summary>A registration token of a VA known to be valid until <see cref="ExpiresAt"/>, handed out again while it has time left.</summary>
public sealed class RegistrationToken
{
    /// <summary>The token as Data Protection ciphertext (<see cref="RegistrationTokenProtector"/>), never in clear.</summary>
    public string Token { get; set; } = "";

    public Guid SmartAccountId { get; set; }

    public string VirtualAccountName { get; set; } = "";

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset ObtainedAt { get; set; }
}
