using HcsLicensing.ClusterAssign.Data;
using HcsLicensing.ServiceDefaults.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HcsLicensing.ClusterAssign.LicenseAudit;

/// <summary>
/// Every LicenseAudit:CheckInterval, in every replica: refreshes the open findings gauge, and starts an audit when none
/// started within LicenseAudit:Period (the claim's unique index lets one replica win; the others find it not due).
/// A database that never had an audit gets its first one a period after this replica started, not at once: a new
/// deployment (or a test suite) is not audited before anything was assigned.
/// </summary>
public sealed class PeriodicLicenseAudit(IServiceScopeFactory scopes, LicenseAuditMetrics metrics, IOptions<LicenseAuditOptions> options, TimeProvider clock, ILogger<PeriodicLicenseAudit> logger)
    : RecurringWork(clock, logger)
{
    private readonly DateTimeOffset startedAt = clock.GetUtcNow();

    protected override TimeSpan Interval => options.Value.CheckInterval;

    protected override string Work => "Periodic license audit";

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        await metrics.RefreshAsync(scope.ServiceProvider.GetRequiredService<ClusterAssignDbContext>(), cancellationToken);
        if (options.Value.Period <= TimeSpan.Zero)
        {
            return;
        }

        var db = scope.ServiceProvider.GetRequiredService<ClusterAssignDbContext>();
        if (Clock.GetUtcNow() - startedAt < options.Value.Period && !await db.LicenseAuditRuns.AnyAsync(cancellationToken))
        {
            return;
        }

        var claimed = await scope.ServiceProvider.GetRequiredService<LicenseAuditClaim>()
            .RequestAsync("Periodic", cancellationToken, onlyIfNotStartedSince: Clock.GetUtcNow() - options.Value.Period);
        if (!claimed.NotDue && !claimed.Joined)
        {
            Logger.LogInformation("Periodic license audit {AuditId} started", claimed.AuditId);
        }
    }
}
