using HcsLicensing.ServiceDefaults.Database;
using HcsLicensing.JobTracker.Audit;
using HcsLicensing.JobTracker.Jobs;
using HcsLicensing.ServiceDefaults.Sagas;
using HcsLicensing.ServiceDefaults.Outbox;
using HcsLicensing.ServiceDefaults.Validation;
using Microsoft.EntityFrameworkCore;

namespace HcsLicensing.JobTracker.Data;

/// <summary>JobTracker's database: the jobs (saga instances) and the outbox and inbox of its messages (scheduled ones too).</summary>
public sealed class JobTrackerDbContext(DbContextOptions<JobTrackerDbContext> options) : DbContext(options)
{
    public DbSet<JobState> Jobs => Set<JobState>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        var job = modelBuilder.MapSaga<JobState>("jobs");
        job.Property(j => j.CurrentState).HasMaxLength(32);
        // Statuses as their names, so the table reads without the enum at hand and survives reordering it.
        job.Property(j => j.Status).HasConversion<string>().HasMaxLength(16);
        job.Property(j => j.JobType).HasMaxLength(64);
        job.Property(j => j.EntityType).HasMaxLength(64);
        job.Property(j => j.EntityName).HasMaxLength(256);
        job.Property(j => j.RequestedBy).HasMaxLength(InputLimits.RequestedBy);
        job.Property(j => j.RestartedBy).HasMaxLength(InputLimits.RequestedBy);
        job.Property(j => j.CancelRequestedBy).HasMaxLength(InputLimits.RequestedBy);
        job.Property(j => j.TraceId).HasMaxLength(32);
        // The steps, in order, as one jsonb document: always read and written with the job, under its xmin.
        job.ComplexCollection(j => j.ProgressInfo, steps =>
        {
            steps.ToJson("progress_info");
            steps.Property(s => s.Status).HasConversion<string>();
        });

        // GET /jobs: newest first, optionally filtered by status or entity name.
        job.HasIndex(j => new { j.InitiatedAt, j.CorrelationId }).IsDescending().HasDatabaseName("ix_jobs_initiated");
        job.HasIndex(j => new { j.Status, j.InitiatedAt }).IsDescending(false, true).HasDatabaseName("ix_jobs_status_initiated");
        job.HasIndex(j => new { j.EntityName, j.InitiatedAt }).IsDescending(false, true).HasDatabaseName("ix_jobs_entity_initiated");
        // Retention (JobRetention.FinishedJobs): the jobs that ended before a cutoff, without reading every job.
        job.HasIndex(j => j.CompletedAt).HasDatabaseName("ix_jobs_completed");

        // snake_case columns like the outbox's table; RowVersion keeps the xmin system column Npgsql gives it.
        job.Metadata.UseSnakeCaseColumns();

        // The audit trail (Audit/): GET /audit reads newest first, by actor or entity.
        var audit = modelBuilder.Entity<AuditEntry>().ToTable("audit_entries");
        audit.HasKey(e => e.Id);
        audit.Property(e => e.Actor).HasMaxLength(InputLimits.RequestedBy);
        audit.Property(e => e.Action).HasMaxLength(64);
        audit.Property(e => e.Service).HasMaxLength(64);
        audit.Property(e => e.EntityType).HasMaxLength(64);
        audit.Property(e => e.EntityName).HasMaxLength(256);
        audit.Property(e => e.Detail).HasMaxLength(InputLimits.Default);
        audit.Property(e => e.SourceKey).HasMaxLength(128);
        audit.HasIndex(e => e.SourceKey).IsUnique().HasDatabaseName("ux_audit_entries_source");
        audit.HasIndex(e => new { e.At, e.Id }).IsDescending().HasDatabaseName("ix_audit_entries_at");
        audit.HasIndex(e => new { e.Actor, e.At }).IsDescending(false, true).HasDatabaseName("ix_audit_entries_actor_at");
        audit.Metadata.UseSnakeCaseColumns();

        modelBuilder.MapTransactionalOutbox();
    }

}
