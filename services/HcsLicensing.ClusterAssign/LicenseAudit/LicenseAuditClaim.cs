using HcsLicensing.ClusterAssign.Data;
using HcsLicensing.Contracts.LicenseAudit;
using HcsLicensing.ServiceDefaults.Database;
using HcsLicensing.ServiceDefaults.Messaging;
using HcsLicensing.ServiceDefaults.Outbox;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HcsLicensing.ClusterAssign.LicenseAudit;

/// <summary>
/// Starts a license audit or joins the running one. The decision is one INSERT of a Running row: the partial unique
/// index on license_audit_runs WHERE status = 'Running' lets exactly one win, whichever replica tries, and a loser reads
/// the winner's id. The claim, its JobCreated and the message that runs it commit together, so a claimed audit always runs.
/// </summary>
public sealed class LicenseAuditClaim(
    ClusterAssignDbContext db,
    TimeProvider clock,
    IOptions<LicenseAuditOptions> options,
    TransactionalOutbox<ClusterAssignDbContext> outbox,
    IEndpointNameFormatter endpointNames,
    EndpointAddresses addresses,
    LicenseAuditJobEvents jobEvents,
    ILogger<LicenseAuditClaim> logger)
{
    private const string ClaimSql = """
        INSERT INTO license_audit_runs (id, status, requested_by, started_at, heartbeat_at, clusters, new_findings, closed_findings, open_findings)
        SELECT @id, 'Running', @by, @now, @now, 0, 0, 0, 0
         WHERE @since::timestamptz IS NULL
            OR NOT EXISTS (SELECT 1 FROM license_audit_runs WHERE started_at > @since::timestamptz)
        ON CONFLICT (status) WHERE status = 'Running' DO NOTHING
        RETURNING id
        """;

    /// <summary>
    /// Claims an audit and queues it (any replica runs it), or names the running one. With
    /// <paramref name="onlyIfNotStartedSince"/> (the period), nothing starts when an audit started after that time.
    /// </summary>
    public async Task<LicenseAuditClaimed> RequestAsync(string requestedBy, CancellationToken cancellationToken, DateTimeOffset? onlyIfNotStartedSince = null)
    {
        await AbandonStaleAsync(cancellationToken);
        for (var attempt = 0; ; attempt++)
        {
            await using var transaction = await JoinedTransaction.BeginOrJoinAsync(db.Database, cancellationToken);
            var id = NewId.NextGuid();
            if (await db.Database.ScalarAsync(ClaimSql, cancellationToken, ("id", id), ("by", requestedBy), ("now", clock.GetUtcNow()), ("since", (object?)onlyIfNotStartedSince ?? DBNull.Value)) is Guid started)
            {
                await jobEvents.CreatedAsync(started, cancellationToken);
                var endpoint = await outbox.Send.GetSendEndpoint(addresses.OfName(endpointNames.Consumer<StartLicenseAuditConsumer>()));
                await endpoint.Send(new StartLicenseAudit { AuditId = started, RequestedBy = requestedBy }, cancellationToken);
                await outbox.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                logger.LogInformation("License audit {AuditId} started by {RequestedBy}", started, requestedBy);
                return new LicenseAuditClaimed(started, Joined: false);
            }

            await transaction.CommitAsync(cancellationToken);
            var running = await db.LicenseAuditRuns.AsNoTracking().Where(r => r.Status == LicenseAuditRun.Running).Select(r => (Guid?)r.Id).FirstOrDefaultAsync(cancellationToken);
            if (running is { } joined)
            {
                return new LicenseAuditClaimed(joined, Joined: true);
            }

            if (onlyIfNotStartedSince is not null)
            {
                return new LicenseAuditClaimed(Guid.Empty, Joined: false, NotDue: true);
            }

            // The running audit ended between our INSERT and our read: try again.
            if (attempt >= 3)
            {
                throw new InvalidOperationException("could not claim or join a license audit");
            }
        }
    }

    /// <summary>A Running audit without a heartbeat for LicenseAudit:StaleAfter lost its replica: it is failed so that a new one can start.</summary>
    private async Task AbandonStaleAsync(CancellationToken cancellationToken)
    {
        var staleBefore = clock.GetUtcNow() - options.Value.StaleAfter;
        var stale = await db.LicenseAuditRuns.Where(r => r.Status == LicenseAuditRun.Running && r.HeartbeatAt < staleBefore).ToListAsync(cancellationToken);
        foreach (var run in stale)
        {
            const string error = "The license audit stopped making progress (its service instance stopped)";
            run.Status = LicenseAuditRun.Failed;
            run.CompletedAt = clock.GetUtcNow();
            run.Error = error;
            await jobEvents.FailedAsync(run.Id, null, error, "Start another license audit", cancellationToken);
            await outbox.SaveChangesAsync(cancellationToken);
            logger.LogWarning("License audit {AuditId} was abandoned; closed it", run.Id);
        }
    }
}

/// <summary>The audit that runs now: started by this request, or <paramref name="Joined"/> (already running); none when not due.</summary>
public sealed record LicenseAuditClaimed(Guid AuditId, bool Joined, bool NotDue = false);
