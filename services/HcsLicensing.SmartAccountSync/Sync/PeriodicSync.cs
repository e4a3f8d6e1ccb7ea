using HcsLicensing.ServiceDefaults.Hosting;
using HcsLicensing.SmartAccountSync.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HcsLicensing.SmartAccountSync.Sync;

/// <summary>
/// Syncs every smart account again once <see cref="SyncOptions.Period"/> has passed since its last sync started. Every
/// instance looks; the claim's "not started since" condition and the one-running-sync index let only one of them start it.
/// </summary>
public sealed class PeriodicSync(IServiceScopeFactory scopes, IOptions<SyncOptions> options, TimeProvider clock, ILogger<PeriodicSync> logger)
    : RecurringWork(clock, logger)
{
    protected override TimeSpan Interval => options.Value.CheckInterval;

    protected override string Work => "Periodic virtual account sync (Sync:Period)";

    protected override bool Enabled => options.Value.Period > TimeSpan.Zero;

    protected override Task RunOnceAsync(CancellationToken cancellationToken) => SyncDueAsync(options.Value.Period, cancellationToken);

    private async Task SyncDueAsync(TimeSpan period, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SmartAccountSyncDbContext>();
        var coordinator = scope.ServiceProvider.GetRequiredService<SyncCoordinator>();
        var dueBefore = Clock.GetUtcNow() - period;
        var due = await db.SmartAccounts.AsNoTracking()
            .Where(a => a.LastSyncStartedAt == null || a.LastSyncStartedAt < dueBefore)
            .ToListAsync(cancellationToken);
        foreach (var account in due)
        {
            var claim = await coordinator.RequestAsync(account, "Periodic", cancellationToken, onlyIfNotStartedSince: dueBefore);
            if (claim.Outcome == SyncClaimOutcome.Started)
            {
                Logger.LogInformation("Periodic sync of smart account {Domain} started as job {JobId}", account.Domain, claim.JobId);
            }
        }
    }
}
