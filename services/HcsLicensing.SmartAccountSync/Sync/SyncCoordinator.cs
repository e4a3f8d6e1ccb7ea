using HcsLicensing.Contracts.SmartAccounts;
using HcsLicensing.ServiceDefaults.Database;
using HcsLicensing.ServiceDefaults.Messaging;
using HcsLicensing.ServiceDefaults.Outbox;
using HcsLicensing.SmartAccountSync.Data;
using HcsLicensing.SmartAccountSync.SmartAccounts;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HcsLicensing.SmartAccountSync.Sync;

/// <summary>
/// Decides whether a sync request starts a sync or joins the running one. The decision is one INSERT of a Running
/// run: the partial unique index on (smart account) WHERE status = 'Running' lets exactly one win, whichever service
/// instance tries, and every loser reads the winner's job id. No lock is held while CSSM is called.
/// </summary>
public sealed class SyncCoordinator(
    SmartAccountSyncDbContext db,
    TimeProvider clock,
    IOptions<SyncOptions> options,
    TransactionalOutbox<SmartAccountSyncDbContext> outbox,
    IEndpointNameFormatter endpointNames,
    EndpointAddresses addresses,
    SyncJobEvents jobEvents,
    ILogger<SyncCoordinator> logger)
{
    private const string ClaimSql = """
        INSERT INTO sync_runs (job_id, smart_account_id, trigger, status, attempt, cancel_requested, started_at, heartbeat_at, virtual_accounts, added, updated, removed, skipped_satellite)
        SELECT @job, @account, @trigger, 'Running', 1, false, @now, @now, 0, 0, 0, 0, 0
         WHERE @since::timestamptz IS NULL
            OR NOT EXISTS (SELECT 1 FROM sync_runs WHERE smart_account_id = @account AND started_at > @since::timestamptz)
        ON CONFLICT (smart_account_id) WHERE status = 'Running' DO NOTHING
        RETURNING job_id
        """;

    /// <summary>
    /// Claims a sync and queues it on the service's sync queue (any instance runs it), in one transaction: the claim
    /// and its message commit together or not at all, so a claimed sync always runs. Or joins the running one. The
    /// job records <paramref name="requestedBy"/> (the HTTP caller) when given, else the trigger.
    /// </summary>
    public async Task<SyncClaim> RequestAsync(SmartAccount account, string trigger, CancellationToken cancellationToken, DateTimeOffset? onlyIfNotStartedSince = null, string? requestedBy = null)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var claim = await ClaimAsync(account.Id, trigger, cancellationToken, onlyIfNotStartedSince);
        if (claim.Outcome == SyncClaimOutcome.Started)
        {
            var queue = addresses.OfName(endpointNames.Consumer<SyncVirtualAccountsConsumer>());
            var endpoint = await outbox.Send.GetSendEndpoint(queue);
            await endpoint.Send(new SyncVirtualAccounts { SmartAccountDomain = account.Domain, JobId = claim.JobId, RequestedBy = requestedBy ?? trigger }, cancellationToken);
            await outbox.SaveChangesAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return claim;
    }

    /// <summary>Claims a sync for the caller to run itself, or names the running one it joins.</summary>
    public async Task<SyncClaim> ClaimAsync(Guid smartAccountId, string trigger, CancellationToken cancellationToken, DateTimeOffset? onlyIfNotStartedSince = null)
    {
        await AbandonStaleAsync(smartAccountId, cancellationToken);
        for (var attempt = 0; ; attempt++)
        {
            var jobId = NewId.NextGuid();
            var now = clock.GetUtcNow();
            var claimed = await db.Database.ScalarAsync(ClaimSql, cancellationToken,
                ("job", jobId), ("account", smartAccountId), ("trigger", trigger), ("now", now), ("since", (object?)onlyIfNotStartedSince ?? DBNull.Value));
            if (claimed is Guid started)
            {
                await db.SmartAccounts.Where(a => a.Id == smartAccountId).ExecuteUpdateAsync(
                    set => set.SetProperty(a => a.LastSyncStartedAt, now).SetProperty(a => a.LastSyncJobId, started), cancellationToken);
                return new SyncClaim(SyncClaimOutcome.Started, started);
            }

            var running = await db.SyncRuns.AsNoTracking()
                .Where(r => r.SmartAccountId == smartAccountId && r.Status == SyncRun.Running)
                .Select(r => (Guid?)r.JobId)
                .FirstOrDefaultAsync(cancellationToken);
            if (running is { } joined)
            {
                return new SyncClaim(SyncClaimOutcome.Joined, joined);
            }

            if (onlyIfNotStartedSince is not null)
            {
                return new SyncClaim(SyncClaimOutcome.NotDue, Guid.Empty);
            }

            // The running sync ended between our INSERT and our read: try again, now with the field clear.
            if (attempt >= 3)
            {
                throw new InvalidOperationException($"could not claim or join a sync of smart account {smartAccountId}");
            }
        }
    }

    /// <summary>Closes a run as Failed (no-op unless it is still Running).</summary>
    public Task<int> FailAsync(Guid jobId, string error, CancellationToken cancellationToken) => CloseAsync(jobId, SyncRun.Failed, error, cancellationToken);

    /// <summary>Closes a run as Failed or Canceled with the reason (no-op unless it is still Running).</summary>
    public Task<int> CloseAsync(Guid jobId, string status, string error, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        return db.SyncRuns.Where(r => r.JobId == jobId && r.Status == SyncRun.Running).ExecuteUpdateAsync(
            set => set.SetProperty(r => r.Status, status).SetProperty(r => r.FinishedAt, now).SetProperty(r => r.Error, error),
            cancellationToken);
    }

    /// <summary>
    /// JobTracker's restart of a failed sync job: the job's run becomes Running again as <paramref name="attempt"/> and
    /// is queued like a new sync, in the caller's transaction (the consumer's: the claim and its message commit
    /// together). Unless another sync of the smart account is running: then it is the answer.
    /// </summary>
    public async Task<SyncRestart> RestartAsync(SyncRun run, int attempt, string? requestedBy, ConsumeContext context)
    {
        var cancellationToken = context.CancellationToken;
        var running = await db.SyncRuns.AsNoTracking()
            .Where(r => r.SmartAccountId == run.SmartAccountId && r.Status == SyncRun.Running)
            .Select(r => (Guid?)r.JobId)
            .FirstOrDefaultAsync(cancellationToken);
        if (running is { } other)
        {
            return new SyncRestart(false, other);
        }

        var now = clock.GetUtcNow();
        // A concurrent claim of the account makes the one-running index refuse this: the message is retried and the
        // check above then finds the running sync.
        var restarted = await db.SyncRuns.Where(r => r.JobId == run.JobId && r.Status == SyncRun.Failed && r.Attempt < attempt).ExecuteUpdateAsync(
            set => set
                .SetProperty(r => r.Status, SyncRun.Running)
                .SetProperty(r => r.Attempt, attempt)
                .SetProperty(r => r.StartedAt, now)
                .SetProperty(r => r.HeartbeatAt, now)
                .SetProperty(r => r.FinishedAt, (DateTimeOffset?)null)
                .SetProperty(r => r.Error, (string?)null)
                .SetProperty(r => r.CancelRequested, false)
                .SetProperty(r => r.CancelRequestedBy, (string?)null),
            cancellationToken);
        if (restarted == 0)
        {
            return new SyncRestart(false, null);
        }

        var domain = await db.SmartAccounts.Where(a => a.Id == run.SmartAccountId).Select(a => a.Domain).SingleAsync(cancellationToken);
        await db.SmartAccounts.Where(a => a.Id == run.SmartAccountId).ExecuteUpdateAsync(
            set => set.SetProperty(a => a.LastSyncStartedAt, now).SetProperty(a => a.LastSyncJobId, run.JobId), cancellationToken);
        var endpoint = await context.GetSendEndpoint(addresses.OfName(endpointNames.Consumer<SyncVirtualAccountsConsumer>()));
        await endpoint.Send(new SyncVirtualAccounts { SmartAccountDomain = domain, JobId = run.JobId, RequestedBy = requestedBy ?? "Restart" }, cancellationToken);
        return new SyncRestart(true, null);
    }

    /// <summary>Running syncs without a heartbeat for <see cref="SyncOptions.StaleAfter"/> died with their instance: close them and their jobs.</summary>
    private async Task AbandonStaleAsync(Guid smartAccountId, CancellationToken cancellationToken)
    {
        var staleBefore = clock.GetUtcNow() - options.Value.StaleAfter;
        var stale = await db.SyncRuns.AsNoTracking()
            .Where(r => r.SmartAccountId == smartAccountId && r.Status == SyncRun.Running && r.HeartbeatAt < staleBefore)
            .Select(r => new { r.JobId, r.Attempt })
            .ToListAsync(cancellationToken);
        foreach (var (jobId, attempt) in stale.Select(r => (r.JobId, r.Attempt)))
        {
            const string error = "The sync stopped making progress (its service instance stopped)";
            await using var transaction = await JoinedTransaction.BeginOrJoinAsync(db.Database, cancellationToken);
            if (await FailAsync(jobId, error, cancellationToken) > 0)
            {
                logger.LogWarning("Sync job {JobId} of smart account {SmartAccountId} was abandoned; closing it", jobId, smartAccountId);
                await jobEvents.FailedAsync(jobId, attempt, null, error, "Restart the job, or sync the smart account again", cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }
    }
}

/// <summary>A sync request's outcome: a new sync (<see cref="SyncClaimOutcome.Started"/>), the running one, or none needed yet.</summary>
public sealed record SyncClaim(SyncClaimOutcome Outcome, Guid JobId);

/// <summary>A restart's outcome: the run is queued again, or not (it is not Failed, or <paramref name="RunningJobId"/> runs).</summary>
public sealed record SyncRestart(bool Restarted, Guid? RunningJobId);

public enum SyncClaimOutcome
{
    Started,
    Joined,
    NotDue,
}
