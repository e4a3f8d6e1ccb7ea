using HcsLicensing.Contracts.Jobs;
using HcsLicensing.ServiceDefaults.Outbox;
using HcsLicensing.SmartAccountSync.Data;
using MassTransit;

namespace HcsLicensing.SmartAccountSync.Sync;

/// <summary>
/// The job events of a sync. Each one is an outbox row saved at once, in the transaction open on the service's
/// DbContext if there is one (a sync's end commits with its result), else in a short one of its own: a sync runs
/// outside the message-wide transaction so that JobTracker shows it while it runs, and a crash between a commit and
/// its event cannot leave the job In Progress. One conversation per job keeps the events in order. Every event carries
/// the run's attempt: 1, then one more for each restart from JobTracker.
/// </summary>
public sealed class SyncJobEvents(TransactionalOutbox<SmartAccountSyncDbContext> outbox, TimeProvider clock)
{
    public const string Authentication = "Authentication";
    public const string FetchVirtualAccounts = "Fetch Virtual Accounts";
    public const string FetchLicenses = "Fetch Licenses";
    public const string UpdateVirtualAccounts = "Update Virtual Accounts";

    public static readonly IReadOnlyList<string> Steps = [Authentication, FetchVirtualAccounts, FetchLicenses, UpdateVirtualAccounts];

    /// <summary>
    /// The first attempt's announcement; a sync may be canceled until it stores its result. <paramref name="requestedBy"/>
    /// is the HTTP caller, the requester's own RequestedBy, or what started it ("Periodic").
    /// </summary>
    public Task CreatedAsync(Guid jobId, string smartAccountName, string? requestedBy, CancellationToken cancellationToken) =>
        PublishAsync(jobId, new JobCreated
        {
            JobId = jobId,
            EntityName = smartAccountName,
            Description = $"Sync of the virtual accounts of Smart Account {smartAccountName} started",
            Steps = Steps,
            IsCancelable = true,
            InitiatedAt = clock.GetUtcNow(),
            RequestedBy = requestedBy,
        }, cancellationToken);

    public Task StepAsync(Guid jobId, int attempt, string step, JobStepStatus status, string? detail, CancellationToken cancellationToken, bool? cancelable = null) =>
        PublishAsync(jobId, new JobStepChanged
        {
            JobId = jobId,
            Attempt = attempt,
            Step = step,
            Status = status,
            Detail = detail,
            IsCancelable = cancelable,
            OccurredAt = clock.GetUtcNow(),
        }, cancellationToken);

    public Task SucceededAsync(Guid jobId, int attempt, string smartAccountName, CancellationToken cancellationToken) =>
        PublishAsync(jobId, new JobSucceeded
        {
            JobId = jobId,
            Attempt = attempt,
            Description = $"Sync of the virtual accounts of Smart Account {smartAccountName} completed",
            CompletedAt = clock.GetUtcNow(),
        }, cancellationToken);

    /// <summary>A failed sync may be restarted from JobTracker (it runs again from the start: a sync is idempotent).</summary>
    public Task FailedAsync(Guid jobId, int attempt, string? step, string error, string action, CancellationToken cancellationToken) =>
        PublishAsync(jobId, new JobFailed
        {
            JobId = jobId,
            Attempt = attempt,
            FailedStep = step,
            ErrorDescription = error,
            RecommendedAction = action,
            IsRestartable = true,
            FailedAt = clock.GetUtcNow(),
        }, cancellationToken);

    public Task CanceledAsync(Guid jobId, int attempt, string? reason, CancellationToken cancellationToken) =>
        PublishAsync(jobId, new JobCanceled { JobId = jobId, Attempt = attempt, Reason = reason, CanceledAt = clock.GetUtcNow() }, cancellationToken);

    /// <summary>Any other event of the sync (e.g. <c>VirtualAccountsSynced</c>), in the job's conversation.</summary>
    public async Task PublishAsync<T>(Guid jobId, T message, CancellationToken cancellationToken)
        where T : class
    {
        await outbox.Publish.Publish(message, context => context.ConversationId = jobId, cancellationToken);
        await outbox.SaveChangesAsync(cancellationToken);
    }
}
