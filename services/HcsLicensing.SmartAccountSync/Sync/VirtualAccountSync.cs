using HcsLicensing.SmartAccountSync.Cssm;
using HcsLicensing.SmartAccountSync.Data;
using HcsLicensing.SmartAccountSync.Licenses;
using HcsLicensing.SmartAccountSync.SmartAccounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace HcsLicensing.SmartAccountSync.Sync;

/// <summary>The work of a sync, without its bookkeeping: fetch every VA from swapi, set the satellite-synced ones aside, store the rest.</summary>
public sealed class VirtualAccountSync(ISwapiApi swapi, SmartAccountSyncDbContext db, TimeProvider clock)
{
    /// <summary>All VAs of the smart account in one swapi call (the API has no paging), split into active and satellite-synced.</summary>
    public async Task<FetchedVirtualAccounts> FetchAsync(SmartAccount account, CssmCredentials credentials, CancellationToken cancellationToken)
    {
        var answer = await swapi.GetVirtualAccountsAsync(account.Domain, account.AccountType, credentials, cancellationToken);
        // Names are the key; a duplicate in CSSM's answer would make the upsert touch a row twice.
        var all = (answer.VirtualAccounts ?? []).Where(v => !string.IsNullOrWhiteSpace(v.Name)).DistinctBy(v => v.Name, StringComparer.Ordinal).ToList();
        return new FetchedVirtualAccounts(
            [.. all.Where(v => !v.SatelliteSynced)],
            [.. all.Where(v => v.SatelliteSynced).Select(v => v.Name)]);
    }

    /// <summary>
    /// Closes job <paramref name="jobId"/>'s run as Succeeded with the counts and stores the fetched VAs (and their license
    /// lines, of which only the changed ones are written) and the smart
    /// account's sync state, in the transaction open on the DbContext (the caller commits it with the job's events), so
    /// that the run and the data never disagree. Null when the run is no longer Running: it was taken for abandoned
    /// and a newer sync may have stored since, which an older answer from CSSM must not overwrite.
    /// </summary>
    public async Task<SyncCounts?> StoreAsync(SmartAccount account, FetchedVirtualAccounts fetched, Guid jobId, CancellationToken cancellationToken)
    {
        var transaction = db.Database.CurrentTransaction ?? throw new InvalidOperationException("StoreAsync runs in the caller's transaction");
        var now = clock.GetUtcNow();
        // First, so that the run's row lock orders this store against an abandonment that would fail it meanwhile.
        var closed = await db.SyncRuns.Where(r => r.JobId == jobId && r.Status == SyncRun.Running).ExecuteUpdateAsync(
            set => set.SetProperty(r => r.Status, SyncRun.Succeeded).SetProperty(r => r.FinishedAt, now).SetProperty(r => r.HeartbeatAt, now),
            cancellationToken);
        if (closed == 0)
        {
            return null;
        }

        var upsert = await VirtualAccountStore.UpsertAsync(
            (NpgsqlConnection)db.Database.GetDbConnection(), (NpgsqlTransaction)transaction.GetDbTransaction(), account.Id, fetched.Active, now, cancellationToken);
        var licenses = await LicenseLineStore.StoreAsync(
            (NpgsqlConnection)db.Database.GetDbConnection(), (NpgsqlTransaction)transaction.GetDbTransaction(), account.Id, fetched.Licenses, now, cancellationToken);
        var counts = new SyncCounts(fetched.Active.Count, upsert.Added, upsert.Updated, upsert.Removed, fetched.Satellite.Count, fetched.Licenses.Count, licenses);

        var satellite = fetched.Satellite.ToList();
        await db.SmartAccounts.Where(a => a.Id == account.Id).ExecuteUpdateAsync(
            set => set.SetProperty(a => a.LastSyncedAt, now).SetProperty(a => a.SatelliteVirtualAccounts, satellite),
            cancellationToken);
        await db.SyncRuns.Where(r => r.JobId == jobId).ExecuteUpdateAsync(
            set => set
                .SetProperty(r => r.VirtualAccounts, counts.VirtualAccounts)
                .SetProperty(r => r.Added, counts.Added)
                .SetProperty(r => r.Updated, counts.Updated)
                .SetProperty(r => r.Removed, counts.Removed)
                .SetProperty(r => r.SkippedSatellite, counts.SkippedSatellite),
            cancellationToken);
        return counts;
    }
}

/// <summary>
/// A smart account's VAs as CSSM listed them: those to keep, and the names of those synced via satellite (ignored);
/// then the license lines of those kept, once read.
/// </summary>
public sealed record FetchedVirtualAccounts(IReadOnlyList<SwapiVirtualAccount> Active, IReadOnlyList<string> Satellite)
{
    public IReadOnlyList<LicenseLine> Licenses { get; init; } = [];
}

/// <summary>What a sync found and changed.</summary>
public sealed record SyncCounts(int VirtualAccounts, int Added, int Updated, int Removed, int SkippedSatellite, int LicenseLines, LicenseLineChanges LicenseChanges);
