namespace HcsLicensing.Contracts.SmartAccounts;

/// <summary>A sync of a smart account's virtual accounts completed: what changed in SmartAccountSync's copy.</summary>
public sealed record VirtualAccountsSynced
{
    /// <summary>SmartAccountSync's id of the smart account.</summary>
    public required Guid SmartAccountId { get; init; }

    /// <summary>The smart account's domain.</summary>
    public required string SmartAccountDomain { get; init; }

    /// <summary>The Smart Account Name.</summary>
    public required string SmartAccountName { get; init; }

    /// <summary>The sync's job.</summary>
    public required Guid JobId { get; init; }

    /// <summary>Virtual accounts known after the sync (satellite-synced ones excluded).</summary>
    public required int VirtualAccounts { get; init; }

    /// <summary>New since the last sync.</summary>
    public required int Added { get; init; }

    /// <summary>Changed (description, access level, default flag) or back after having been removed.</summary>
    public required int Updated { get; init; }

    /// <summary>Gone from CSSM since the last sync (kept, marked removed).</summary>
    public required int Removed { get; init; }

    /// <summary>Synced through a satellite, hence ignored.</summary>
    public required int SkippedSatellite { get; init; }

    /// <summary>When the sync committed.</summary>
    public required DateTimeOffset CompletedAt { get; init; }
}
