using HcsLicensing.Contracts.Jobs;
using HcsLicensing.SmartAccountSync.Data;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace HcsLicensing.SmartAccountSync.Sync;

/// <summary>
/// JobTracker's restart and cancel of a job, as it publishes them to every job owner: this service acts on its sync
/// jobs (known by their run) and ignores the others. A restart runs the failed sync again as the next attempt; a
/// cancel marks the run, and the instance running it stops at its next check (<see cref="SyncOptions.CancelCheckInterval"/>).
/// </summary>
public sealed class SyncJobCommandsConsumer(
    SmartAccountSyncDbContext db, SyncCoordinator coordinator, SyncJobEvents jobs, ILogger<SyncJobCommandsConsumer> logger)
    : IConsumer<JobRestartRequested>, IConsumer<JobCancelRequested>
{
    public async Task Consume(ConsumeContext<JobRestartRequested> context)
    {
        var restart = context.Message;
        var run = await db.SyncRuns.AsNoTracking().SingleOrDefaultAsync(r => r.JobId == restart.JobId, context.CancellationToken);
        if (run is null || run.Attempt >= restart.Attempt)
        {
            // Another service's job, or a restart this run already took (a redelivery).
            return;
        }

        var outcome = await coordinator.RestartAsync(run, restart.Attempt, restart.RequestedBy, context);
        if (outcome.Restarted)
        {
            logger.LogInformation("Sync job {JobId} restarted as attempt {Attempt} by {RequestedBy}", run.JobId, restart.Attempt, restart.RequestedBy);
        }
        else if (outcome.RunningJobId is { } running)
        {
            // JobTracker already counts the new attempt: end it, restartable, rather than leave it In Progress.
            logger.LogInformation("Sync job {JobId} not restarted: sync job {Running} of the same smart account is running", run.JobId, running);
            await jobs.FailedAsync(run.JobId, restart.Attempt, null,
                $"Another sync of the smart account is running (job {running})", "Restart the job once that sync has ended", context.CancellationToken);
        }
        else
        {
            logger.LogInformation("Sync job {JobId} not restarted: it is {Status}, not Failed", run.JobId, run.Status);
        }
    }

    public async Task Consume(ConsumeContext<JobCancelRequested> context)
    {
        var cancel = context.Message;
        var marked = await db.SyncRuns
            .Where(r => r.JobId == cancel.JobId && r.Status == SyncRun.Running && r.Attempt == cancel.Attempt)
            .ExecuteUpdateAsync(set => set.SetProperty(r => r.CancelRequested, true).SetProperty(r => r.CancelRequestedBy, cancel.RequestedBy), context.CancellationToken);
        if (marked > 0)
        {
            logger.LogInformation("Sync job {JobId} (attempt {Attempt}) asked to cancel by {RequestedBy}", cancel.JobId, cancel.Attempt, cancel.RequestedBy);
        }
    }
}
