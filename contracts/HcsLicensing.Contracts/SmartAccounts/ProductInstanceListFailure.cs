namespace HcsLicensing.Contracts.SmartAccounts;

/// <summary>A smart account whose product instances could not be read, and why.</summary>
public sealed record ProductInstanceListFailure
{
    /// <summary>The smart account's domain.</summary>
    public required string SmartAccountDomain { get; init; }

    /// <summary>What failed (CSSM unreachable, credentials refused...), never a secret.</summary>
    public required string Detail { get; init; }
}
