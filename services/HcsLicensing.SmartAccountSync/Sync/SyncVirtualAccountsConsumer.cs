using HcsLicensing.Contracts.SmartAccounts;
using HcsLicensing.ServiceDefaults.Outbox;
using HcsLicensing.SmartAccountSync.Data;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace HcsLicensing.SmartAccountSync.Sync;

/// <summary>
/// Runs syncs. A message with a job id carries a sync this service already claimed (HTTP, configuration, period);
/// one without comes from another service and is claimed here first, joining a running sync if there is one.
/// </summary>
[OwnTransactions("a sync runs for seconds to minutes: its claim and heartbeats must be visible to other instances while it runs")]
public sealed class SyncVirtualAccountsConsumer(SmartAccountSyncDbContext db, SyncCoordinator coordinator, SyncRunner runner, ILogger<SyncVirtualAccountsConsumer> logger)
    : IConsumer<SyncVirtualAccounts>
{
    public async Task Consume(ConsumeContext<SyncVirtualAccounts> context)
    {
        if (context.Message.JobId is { } jobId)
        {
            await runner.RunAsync(jobId, context.Message.RequestedBy, context.CancellationToken);
            return;
        }

        var domain = context.Message.SmartAccountDomain.Trim().ToLowerInvariant();
        var account = await db.SmartAccounts.AsNoTracking().SingleOrDefaultAsync(a => a.Domain == domain, context.CancellationToken);
        if (account is null)
        {
            logger.LogWarning("Sync requested for smart account {Domain}, which is not configured here", domain);
            return;
        }

        var claim = await coordinator.ClaimAsync(account.Id, "Message", context.CancellationToken);
        if (claim.Outcome == SyncClaimOutcome.Started)
        {
            await runner.RunAsync(claim.JobId, context.Message.RequestedBy ?? "Message", context.CancellationToken);
        }
        else
        {
            logger.LogInformation("Sync request for {Domain} joins running sync job {JobId}", domain, claim.JobId);
        }
    }
}
