using HcsLicensing.Contracts.Audit;
using HcsLicensing.Contracts.Jobs;
using HcsLicensing.JobTracker.Data;
using HcsLicensing.JobTracker.Jobs;
using HcsLicensing.ServiceDefaults.Validation;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace HcsLicensing.JobTracker.Audit;

/// <summary>
/// Keeps the audit trail (table audit_entries) on its own queue, beside the job saga: a job's start (JobCreated, also
/// inside a JobProgressed) names who asked; the saga's JobRestartRequested and JobCancelRequested are restarts and
/// cancels it accepted, with who asked; ConfigurationChanged comes from the services that own configuration. Each entry
/// is inserted once per source key, so a redelivered or repeated message adds nothing. A batch's queued announcement is
/// not an entry: the start of each of its jobs is.
/// </summary>
public sealed class AuditTrailConsumer(JobTrackerDbContext db, TimeProvider clock)
    : IConsumer<JobCreated>, IConsumer<JobProgressed>, IConsumer<JobRestartRequested>, IConsumer<JobCancelRequested>, IConsumer<ConfigurationChanged>
{
    public const string JobStarted = "Job started";
    public const string JobRestarted = "Job restarted";
    public const string JobCancelAsked = "Job cancel requested";
    public const string ConfigurationChange = "Configuration changed";
    public const string Unknown = "(unknown)";

    public Task Consume(ConsumeContext<JobCreated> context) => StartedAsync(context.Message, context.CancellationToken);

    /// <summary>A JobProgressed the saga refuses (JobRules.Problem: it goes to the saga's error queue) starts no job here either.</summary>
    public Task Consume(ConsumeContext<JobProgressed> context) =>
        context.Message.Created is { } created && JobRules.Problem(context.Message) is null ? StartedAsync(created, context.CancellationToken) : Task.CompletedTask;

    public async Task Consume(ConsumeContext<JobRestartRequested> context)
    {
        var restart = context.Message;
        var job = await JobAsync(restart.JobId, context.CancellationToken);
        var from = restart.FromStep is null ? "" : $" from {restart.FromStep}";
        await AddAsync(new AuditEntry
        {
            At = clock.GetUtcNow(), // the saga accepted it just before publishing
            Service = "JobTracker",
            Actor = restart.RequestedBy ?? Unknown,
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
        await AddAsync(new AuditEntry
        {
            At = clock.GetUtcNow(), // the saga accepted it just before publishing
            Service = "JobTracker",
            Actor = cancel.RequestedBy ?? Unknown,
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
        await AddAsync(new AuditEntry
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

    private async Task StartedAsync(JobCreated created, CancellationToken cancellationToken)
    {
        if (created.Queued)
        {
            return;
        }

        await AddAsync(new AuditEntry
        {
            At = created.InitiatedAt.ToUniversalTime(),
            Actor = created.RequestedBy ?? Unknown,
            Action = JobStarted,
            EntityType = created.EntityType,
            EntityName = created.EntityName,
            Detail = created.Description,
            JobId = created.JobId,
            SourceKey = $"job:{created.JobId}:started",
        }, cancellationToken);
    }

    private Task<JobState?> JobAsync(Guid jobId, CancellationToken cancellationToken) =>
        db.Jobs.AsNoTracking().SingleOrDefaultAsync(j => j.CorrelationId == jobId, cancellationToken);

    /// <summary>A detail adds words to a description that may already be as long as a message allows.</summary>
    private static string Bounded(string detail) => detail.Length <= InputLimits.Default ? detail : detail[..InputLimits.Default];

    /// <summary>INSERT ... ON CONFLICT DO NOTHING: a duplicate is skipped without failing the consumer's transaction.</summary>
    private Task<int> AddAsync(AuditEntry entry, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO audit_entries (at, actor, action, service, entity_type, entity_name, detail, job_id, source_key)
            VALUES ({entry.At}, {entry.Actor}, {entry.Action}, {entry.Service}, {entry.EntityType}, {entry.EntityName}, {Bounded(entry.Detail)}, {entry.JobId}, {entry.SourceKey})
            ON CONFLICT (source_key) DO NOTHING
            """, cancellationToken);
}
