namespace HcsLicensing.Contracts.SmartAccounts;

/// <summary>A registration token valid for at least the configured minimum time from now.</summary>
public sealed record RegistrationTokenIssued
{
    /// <summary>The smart account's domain.</summary>
    public required string SmartAccountDomain { get; init; }

    /// <summary>The virtual account the token registers into.</summary>
    public required string VirtualAccountName { get; init; }

    /// <summary>The ID token a UC application registers with.</summary>
    public required string Token { get; init; }

    /// <summary>When CSSM stops accepting it.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>True when an existing token with enough time left was handed out rather than a new one created.</summary>
    public bool Reused { get; init; }
}
