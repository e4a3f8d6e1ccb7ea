using HcsLicensing.Contracts.Audit;
using HcsLicensing.Contracts.Jobs;
using HcsLicensing.JobTracker.Data;
using HcsLicensing.JobTracker.Jobs;
using HcsLicensing.ServiceDefaults.Validation;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace HcsLicensing.JobTracker.Audit;

/// <summary>
/// Keeps the audit trail (table audit_entries) on its own queue for what is not a job's start: the saga's
/// JobRestartRequested and JobCancelRequested are restarts and cancels it accepted, with who asked; ConfigurationChanged
/// comes from the services that own configuration. A job's start is written by the job saga itself (JobStateMachine),
/// in the transaction of the JobCreated or JobProgressed that starts it: every job event also came to this queue before,
/// about four deliveries and transactions per assignment that did nothing.
/// </summary>
public sealed class AuditTrailConsumer(JobTrackerDbContext db, AuditTrail trail, TimeProvider clock)
    : IConsumer<JobRestartRequested>, IConsumer<JobCancelRequested>, IConsumer<ConfigurationChanged>
{
    public const string JobRestarted = "Job restarted";
    public const string JobCancelAsked = "Job cancel requested";
    public const string ConfigurationChange = "Configuration changed";

    public async Task Consume(ConsumeContext<JobRestartRequested> context)
    {
        var restart = context.Message;
        var job = await JobAsync(restart.JobId, context.CancellationToken);
        var from = restart.FromStep is null ? "" : $" from {restart.FromStep}";
        await trail.AddAsync(new AuditEntry
        {
            At = clock.GetUtcNow(), // the saga accepted it just before publishing
            Service = "JobTracker",
            Actor = restart.RequestedBy ?? AuditTrail.Unknown,
            Action = JobRestarted,
            EntityType = job?.EntityType ?? "",
            EntityName = job?.EntityName ?? "",
            Detail = $"attempt {restart.Attempt}{from}: {job?.Description}",
            JobId = restart.JobId,
            SourceKey = $"job:{restart.JobId}:restart:{restart.Attempt}",
        }, context.CancellationToken);
    }

    public async Task Consume(ConsumeContext<JobCancelRequested> context)
    {
        var cancel = context.Message;
        var job = await JobAsync(cancel.JobId, context.CancellationToken);
        await trail.AddAsync(new AuditEntry
        {
            At = clock.GetUtcNow(), // the saga accepted it just before publishing
            Service = "JobTracker",
            Actor = cancel.RequestedBy ?? AuditTrail.Unknown,
            Action = JobCancelAsked,
            EntityType = job?.EntityType ?? "",
            EntityName = job?.EntityName ?? "",
            Detail = $"attempt {cancel.Attempt}: {job?.Description}",
            JobId = cancel.JobId,
            // A repeated cancel is accepted again and is another operator's act: one entry per message.
            SourceKey = $"message:{context.MessageId ?? NewId.NextGuid()}",
        }, context.CancellationToken);
    }

    public async Task Consume(ConsumeContext<ConfigurationChanged> context)
    {
        var change = context.Message;
        await trail.AddAsync(new AuditEntry
        {
            At = change.ChangedAt.ToUniversalTime(),
            Actor = change.ChangedBy,
            Action = ConfigurationChange,
            Service = change.Service,
            EntityType = change.EntityType,
            EntityName = change.EntityName,
            Detail = change.Change,
            SourceKey = $"message:{context.MessageId ?? NewId.NextGuid()}",
        }, context.CancellationToken);
    }

    private Task<JobState?> JobAsync(Guid jobId, CancellationToken cancellationToken) =>
        db.Jobs.AsNoTracking().SingleOrDefaultAsync(j => j.CorrelationId == jobId, cancellationToken);
}
