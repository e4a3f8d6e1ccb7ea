namespace HcsLicensing.Contracts.SmartAccounts;

/// <summary>
/// Asks SmartAccountSync for a registration (ID) token of a virtual account, e.g. before ClusterAssign registers a
/// cluster into it. Answered with <see cref="RegistrationTokenIssued"/> or <see cref="RegistrationTokenRefused"/>.
/// </summary>
public sealed record GetRegistrationTokenRequest
{
    /// <summary>The smart account's domain, e.g. "hcs-demo.example.com".</summary>
    public required string SmartAccountDomain { get; init; }

    /// <summary>The virtual account's name as CSSM spells it.</summary>
    public required string VirtualAccountName { get; init; }

    /// <summary>What the token is for, e.g. the cluster being assigned (optional; becomes the token's description in CSSM).</summary>
    public string? Purpose { get; init; }
}
