using HcsLicensing.SmartAccountSync.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HcsLicensing.SmartAccountSync.Sync;

/// <summary>
/// Syncs every smart account again once <see cref="SyncOptions.Period"/> has passed since its last sync started. Every
/// instance looks; the claim's "not started since" condition and the one-running-sync index let only one of them start it.
/// </summary>
public sealed class PeriodicSync(IServiceScopeFactory scopes, IOptions<SyncOptions> options, TimeProvider clock, ILogger<PeriodicSync> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (settings.Period <= TimeSpan.Zero)
        {
            logger.LogInformation("Periodic virtual account sync is off (Sync:Period is zero)");
            return;
        }

        using var timer = new PeriodicTimer(settings.CheckInterval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await SyncDueAsync(settings.Period, stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // Database or broker away for a moment: the next tick tries again.
                logger.LogWarning(exception, "Looking for smart accounts due for a sync failed");
            }
        }
    }

    private async Task SyncDueAsync(TimeSpan period, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SmartAccountSyncDbContext>();
        var coordinator = scope.ServiceProvider.GetRequiredService<SyncCoordinator>();
        var dueBefore = clock.GetUtcNow() - period;
        var due = await db.SmartAccounts.AsNoTracking()
            .Where(a => a.LastSyncStartedAt == null || a.LastSyncStartedAt < dueBefore)
            .ToListAsync(cancellationToken);
        foreach (var account in due)
        {
            var claim = await coordinator.RequestAsync(account, "Periodic", cancellationToken, onlyIfNotStartedSince: dueBefore);
            if (claim.Outcome == SyncClaimOutcome.Started)
            {
                logger.LogInformation("Periodic sync of smart account {Domain} started as job {JobId}", account.Domain, claim.JobId);
            }
        }
    }
}
