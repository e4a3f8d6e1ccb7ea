using HcsLicensing.Contracts.Jobs;
using HcsLicensing.ServiceDefaults.Outbox;
using HcsLicensing.SmartAccountSync.Data;
using MassTransit;

namespace HcsLicensing.SmartAccountSync.Sync;

/// <summary>
/// The job events of a sync. Each one is an outbox row saved at once, in the transaction open on the service's
/// DbContext if there is one (a sync's end commits with its result), else in a short one of its own: a sync runs
/// outside the message-wide transaction so that JobTracker shows it while it runs, and a crash between a commit and
/// its event cannot leave the job In Progress. One conversation per job keeps the events in order.
/// </summary>
public sealed class SyncJobEvents(TransactionalOutbox<SmartAccountSyncDbContext> outbox, TimeProvider clock)
{
    public const string Authentication = "Authentication";
    public const string FetchVirtualAccounts = "Fetch Virtual Accounts";
    public const string UpdateVirtualAccounts = "Update Virtual Accounts";

    public static readonly IReadOnlyList<string> Steps = [Authentication, FetchVirtualAccounts, UpdateVirtualAccounts];

    public Task CreatedAsync(Guid jobId, string smartAccountName, CancellationToken cancellationToken) =>
        PublishAsync(jobId, new JobCreated
        {
            JobId = jobId,
            EntityName = smartAccountName,
            Description = $"Sync of the virtual accounts of Smart Account {smartAccountName} started",
            Steps = Steps,
            InitiatedAt = clock.GetUtcNow(),
        }, cancellationToken);

    public Task StepAsync(Guid jobId, string step, JobStepStatus status, string? detail, CancellationToken cancellationToken) =>
        PublishAsync(jobId, new JobStepChanged { JobId = jobId, Step = step, Status = status, Detail = detail, OccurredAt = clock.GetUtcNow() }, cancellationToken);

    public Task SucceededAsync(Guid jobId, string smartAccountName, CancellationToken cancellationToken) =>
        PublishAsync(jobId, new JobSucceeded
        {
            JobId = jobId,
            Description = $"Sync of the virtual accounts of Smart Account {smartAccountName} completed",
            CompletedAt = clock.GetUtcNow(),
        }, cancellationToken);

    public Task FailedAsync(Guid jobId, string? step, string error, string action, CancellationToken cancellationToken) =>
        PublishAsync(jobId, new JobFailed
        {
            JobId = jobId,
            FailedStep = step,
            ErrorDescription = error,
            RecommendedAction = action,
            // A new sync is the remedy (on demand or the next period), not a restart of this job.
            IsRestartable = false,
            FailedAt = clock.GetUtcNow(),
        }, cancellationToken);

    /// <summary>Any other event of the sync (e.g. <c>VirtualAccountsSynced</c>), in the job's conversation.</summary>
    public async Task PublishAsync<T>(Guid jobId, T message, CancellationToken cancellationToken)
        where T : class
    {
        await outbox.Publish.Publish(message, context => context.ConversationId = jobId, cancellationToken);
        await outbox.SaveChangesAsync(cancellationToken);
    }
}
