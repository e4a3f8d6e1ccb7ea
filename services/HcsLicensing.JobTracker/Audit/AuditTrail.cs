using HcsLicensing.Contracts.Jobs;
using HcsLicensing.JobTracker.Data;
using HcsLicensing.ServiceDefaults.Validation;
using Microsoft.EntityFrameworkCore;

namespace HcsLicensing.JobTracker.Audit;

/// <summary>
/// Writes audit_entries on the message's DbContext, so an entry commits with whatever else the message changed. Each is
/// inserted once per source key: a redelivered or repeated message adds nothing.
/// </summary>
public sealed class AuditTrail(JobTrackerDbContext db)
{
    public const string JobStarted = "Job started";
    public const string Unknown = "(unknown)";

    /// <summary>A job's start, with who asked. A batch's queued announcement is not one: the start of each of its jobs is.</summary>
    public Task JobStartedAsync(JobCreated created, CancellationToken cancellationToken) =>
        created.Queued
            ? Task.CompletedTask
            : AddAsync(new AuditEntry
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

    /// <summary>INSERT ... ON CONFLICT DO NOTHING: a duplicate is skipped without failing the message's transaction.</summary>
    public Task<int> AddAsync(AuditEntry entry, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO audit_entries (at, actor, action, service, entity_type, entity_name, detail, job_id, source_key)
            VALUES ({entry.At}, {entry.Actor}, {entry.Action}, {entry.Service}, {entry.EntityType}, {entry.EntityName}, {Bounded(entry.Detail)}, {entry.JobId}, {entry.SourceKey})
            ON CONFLICT (source_key) DO NOTHING
            """, cancellationToken);

    /// <summary>A detail adds words to a description that may already be as long as a message allows.</summary>
    private static string Bounded(string detail) => detail.Length <= InputLimits.Default ? detail : detail[..InputLimits.Default];
}
