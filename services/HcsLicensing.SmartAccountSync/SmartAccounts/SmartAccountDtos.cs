using HcsLicensing.SmartAccountSync.Sync;

namespace HcsLicensing.SmartAccountSync.SmartAccounts;

/// <summary>POST /smart-accounts: what an HCS partner admin enters in HCM-F (the Smart Account Name comes from CSSM).</summary>
public sealed record ConfigureSmartAccountRequest(string? Domain, string? ClientId, string? ClientSecret);

/// <summary>
/// A row of the Smart Account Summary. The client secret is deliberately absent: it is write-only.
/// </summary>
public sealed record SmartAccountDto(
    Guid Id,
    string Domain,
    string Name,
    string AccountType,
    string ClientId,
    DateTimeOffset ConfiguredAt,
    int VirtualAccounts,
    int SatelliteVirtualAccountsIgnored,
    DateTimeOffset? LastSyncedAt,
    SyncDto? LastSync);

/// <summary>A sync run as a job: its status, what it found and changed, and why it failed.</summary>
public sealed record SyncDto(
    Guid JobId,
    Guid SmartAccountId,
    string Status,
    string Trigger,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    int VirtualAccounts,
    int Added,
    int Updated,
    int Removed,
    int SkippedSatellite,
    string? Error,
    int Attempt)
{
    public static SyncDto From(SyncRun run) => new(
        run.JobId, run.SmartAccountId, run.Status, run.Trigger, run.StartedAt, run.FinishedAt, run.VirtualAccounts, run.Added, run.Updated, run.Removed, run.SkippedSatellite, run.Error, run.Attempt);
}

/// <summary>The answer to a sync request: the job to follow, and whether it was already running (the request joined it).</summary>
public sealed record SyncRequestedDto(Guid JobId, bool Joined);

/// <summary>The answer to a configuration: the smart account and the job of the sync it started.</summary>
public sealed record SmartAccountConfiguredDto(SmartAccountDto SmartAccount, Guid SyncJobId);
