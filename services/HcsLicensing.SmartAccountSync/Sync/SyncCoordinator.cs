using HcsLicensing.Contracts.SmartAccounts;
using HcsLicensing.ServiceDefaults.Database;
using HcsLicensing.ServiceDefaults.Outbox;
using HcsLicensing.SmartAccountSync.Data;
using HcsLicensing.SmartAccountSync.SmartAccounts;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

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
    SyncJobEvents jobEvents,
    ILogger<SyncCoordinator> logger)
{
    private const string ClaimSql = """
        INSERT INTO sync_runs (job_id, smart_account_id, trigger, status, started_at, heartbeat_at, virtual_accounts, added, updated, removed, skipped_satellite)
        SELECT @job, @account, @trigger, 'Running', @now, @now, 0, 0, 0, 0, 0
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
            var queue = new Uri($"queue:{endpointNames.Consumer<SyncVirtualAccountsConsumer>()}");
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
            var claimed = await ScalarAsync(ClaimSql, cancellationToken,
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
    public Task<int> FailAsync(Guid jobId, string error, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        return db.SyncRuns.Where(r => r.JobId == jobId && r.Status == SyncRun.Running).ExecuteUpdateAsync(
            set => set.SetProperty(r => r.Status, SyncRun.Failed).SetProperty(r => r.FinishedAt, now).SetProperty(r => r.Error, error),
            cancellationToken);
    }

    /// <summary>Running syncs without a heartbeat for <see cref="SyncOptions.StaleAfter"/> died with their instance: close them and their jobs.</summary>
    private async Task AbandonStaleAsync(Guid smartAccountId, CancellationToken cancellationToken)
    {
        var staleBefore = clock.GetUtcNow() - options.Value.StaleAfter;
        var stale = await db.SyncRuns.AsNoTracking()
            .Where(r => r.SmartAccountId == smartAccountId && r.Status == SyncRun.Running && r.HeartbeatAt < staleBefore)
            .Select(r => r.JobId)
            .ToListAsync(cancellationToken);
        foreach (var jobId in stale)
        {
            const string error = "The sync stopped making progress (its service instance stopped)";
            await using var transaction = await JoinedTransaction.BeginOrJoinAsync(db.Database, cancellationToken);
            if (await FailAsync(jobId, error, cancellationToken) > 0)
            {
                logger.LogWarning("Sync job {JobId} of smart account {SmartAccountId} was abandoned; closing it", jobId, smartAccountId);
                await jobEvents.FailedAsync(jobId, null, error, "Sync the smart account again", cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }
    }

    private async Task<object?> ScalarAsync(string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand(sql, (NpgsqlConnection)db.Database.GetDbConnection());
            foreach (var (name, value) in parameters)
            {
                command.Parameters.AddWithValue(name, value);
            }

            return await command.ExecuteScalarAsync(cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}

/// <summary>A sync request's outcome: a new sync (<see cref="SyncClaimOutcome.Started"/>), the running one, or none needed yet.</summary>
public sealed record SyncClaim(SyncClaimOutcome Outcome, Guid JobId);

public enum SyncClaimOutcome
{
    Started,
    Joined,
    NotDue,
}
