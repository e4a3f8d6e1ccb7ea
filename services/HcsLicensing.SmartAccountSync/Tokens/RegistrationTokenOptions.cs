namespace HcsLicensing.SmartAccountSync.Tokens;

/// <summary>How registration tokens are created and reused ("RegistrationTokens" section).</summary>
public sealed class RegistrationTokenOptions
{
    public const string Section = "RegistrationTokens";

    /// <summary>expiresAfterDays of the tokens created in CSSM.</summary>
    public int ExpiresAfterDays { get; set; } = 30;

    /// <summary>A token is handed out again only while it has at least this long left (a registration must not race its expiry).</summary>
    public TimeSpan MinimumRemaining { get; set; } = TimeSpan.FromDays(1);
}
