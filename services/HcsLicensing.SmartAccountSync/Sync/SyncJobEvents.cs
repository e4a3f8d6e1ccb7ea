using HcsLicensing.Contracts.Jobs;
using MassTransit;

namespace HcsLicensing.SmartAccountSync.Sync;

/// <summary>
/// The job events of a sync, published on the bus itself rather than a consume context, so that they leave at once
/// (a consumer's outbox would hold them until the whole sync ended) and JobTracker shows the sync while it runs.
/// </summary>
public sealed class SyncJobEvents(IBus bus, TimeProvider clock)
{
    public const string Authentication = "Authentication";
    public const string FetchVirtualAccounts = "Fetch Virtual Accounts";
    public const string UpdateVirtualAccounts = "Update Virtual Accounts";

    public static readonly IReadOnlyList<string> Steps = [Authentication, FetchVirtualAccounts, UpdateVirtualAccounts];

    public Task CreatedAsync(Guid jobId, string smartAccountName, CancellationToken cancellationToken) =>
        bus.Publish(new JobCreated
        {
            JobId = jobId,
            EntityName = smartAccountName,
            Description = $"Sync of the virtual accounts of Smart Account {smartAccountName} started",
            Steps = Steps,
            InitiatedAt = clock.GetUtcNow(),
        }, cancellationToken);

    public Task StepAsync(Guid jobId, string step, JobStepStatus status, string? detail, CancellationToken cancellationToken) =>
        bus.Publish(new JobStepChanged { JobId = jobId, Step = step, Status = status, Detail = detail, OccurredAt = clock.GetUtcNow() }, cancellationToken);

    public Task SucceededAsync(Guid jobId, string smartAccountName, CancellationToken cancellationToken) =>
        bus.Publish(new JobSucceeded
        {
            JobId = jobId,
            Description = $"Sync of the virtual accounts of Smart Account {smartAccountName} completed",
            CompletedAt = clock.GetUtcNow(),
        }, cancellationToken);

    public Task FailedAsync(Guid jobId, string? step, string error, string action, CancellationToken cancellationToken) =>
        bus.Publish(new JobFailed
        {
            JobId = jobId,
            FailedStep = step,
            ErrorDescription = error,
            RecommendedAction = action,
            // A new sync is the remedy (on demand or the next period), not a restart of this job.
            IsRestartable = false,
            FailedAt = clock.GetUtcNow(),
        }, cancellationToken);
}
