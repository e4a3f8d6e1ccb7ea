namespace HcsLicensing.Contracts.SmartAccounts;

/// <summary>A smart account was connected (or its credentials replaced) after CSSM accepted them.</summary>
public sealed record SmartAccountConfigured
{
    /// <summary>SmartAccountSync's id of the smart account.</summary>
    public required Guid SmartAccountId { get; init; }

    /// <summary>The smart account's domain.</summary>
    public required string SmartAccountDomain { get; init; }

    /// <summary>The Smart Account Name, as CSSM gives it.</summary>
    public required string SmartAccountName { get; init; }

    /// <summary>The job of the virtual account sync started right after.</summary>
    public required Guid SyncJobId { get; init; }

    /// <summary>When it was stored.</summary>
    public required DateTimeOffset ConfiguredAt { get; init; }
}
