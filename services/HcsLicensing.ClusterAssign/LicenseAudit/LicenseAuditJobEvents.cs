using HcsLicensing.ClusterAssign.Data;
using HcsLicensing.Contracts.Jobs;
using HcsLicensing.ServiceDefaults.Outbox;
using MassTransit;

namespace HcsLicensing.ClusterAssign.LicenseAudit;

/// <summary>
/// The job events of a license audit, each an outbox row saved with the audit's own changes (an audit runs outside the
/// message-wide transaction, so that JobTracker shows its phases while it runs). One conversation per job keeps them in order.
/// </summary>
public sealed class LicenseAuditJobEvents(TransactionalOutbox<ClusterAssignDbContext> outbox, TimeProvider clock)
{
    public const string ReadAssignments = "Read assignments";
    public const string ReadCssm = "Read CSSM";
    public const string VerifyClusters = "Verify clusters";
    public const string Compare = "Compare";

    public static readonly IReadOnlyList<string> Steps = [ReadAssignments, ReadCssm, VerifyClusters, Compare];

    public Task CreatedAsync(Guid jobId, CancellationToken cancellationToken) =>
        PublishAsync(jobId, new JobCreated
        {
            JobId = jobId,
            JobType = "License Audit",
            EntityType = "License Audit",
            EntityName = "All clusters",
            Description = "License audit started",
            Steps = Steps,
            IsCancelable = false,
            InitiatedAt = clock.GetUtcNow(),
        }, cancellationToken);

    public Task StepAsync(Guid jobId, string step, JobStepStatus status, string? detail, CancellationToken cancellationToken) =>
        PublishAsync(jobId, new JobStepChanged { JobId = jobId, Step = step, Status = status, Detail = detail, OccurredAt = clock.GetUtcNow() }, cancellationToken);

    /// <summary>Publishes without saving: the caller saves it with its own changes.</summary>
    public Task AddAsync<T>(Guid jobId, T message, CancellationToken cancellationToken)
        where T : class =>
        outbox.Publish.Publish(message, context => context.ConversationId = jobId, cancellationToken);

    public Task SucceededAsync(Guid jobId, string description, CancellationToken cancellationToken) =>
        AddAsync(jobId, new JobSucceeded { JobId = jobId, Description = description, CompletedAt = clock.GetUtcNow() }, cancellationToken);

    /// <summary>A failed audit is not restarted: the operator (or the period) starts a new one, which reads everything again.</summary>
    public Task FailedAsync(Guid jobId, string? step, string error, string action, CancellationToken cancellationToken) =>
        AddAsync(jobId, new JobFailed { JobId = jobId, FailedStep = step, ErrorDescription = error, RecommendedAction = action, IsRestartable = false, FailedAt = clock.GetUtcNow() }, cancellationToken);

    private async Task PublishAsync<T>(Guid jobId, T message, CancellationToken cancellationToken)
        where T : class
    {
        await AddAsync(jobId, message, cancellationToken);
        await outbox.SaveChangesAsync(cancellationToken);
    }
}
