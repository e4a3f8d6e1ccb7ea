using HcsLicensing.ServiceDefaults.Database;
using HcsLicensing.ClusterAssign.LicenseAudit;
using HcsLicensing.ClusterAssign.Operations;
using HcsLicensing.ServiceDefaults.Outbox;
using HcsLicensing.ServiceDefaults.Sagas;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace HcsLicensing.ClusterAssign.Data;

/// <summary>ClusterAssign's database: one row per cluster (the ClusterOperation saga, also the Cluster Summary), the
/// outbox and inbox of its messages, and the Data Protection key ring of the registration tokens a job keeps.</summary>
public sealed class ClusterAssignDbContext(DbContextOptions<ClusterAssignDbContext> options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<ClusterOperationState> ClusterOperations => Set<ClusterOperationState>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<LicenseAuditRun> LicenseAuditRuns => Set<LicenseAuditRun>();

    public DbSet<LicenseFinding> LicenseFindings => Set<LicenseFinding>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        var cluster = modelBuilder.MapSaga<ClusterOperationState>("cluster_operations");
        cluster.Ignore(c => c.IsRunning);
        cluster.Property(c => c.CurrentState).HasMaxLength(32);
        cluster.Property(c => c.ClusterName).HasMaxLength(256);
        // Enums as their names: the table reads without the code at hand and survives reordering them.
        cluster.Property(c => c.Phase).HasConversion<string>().HasMaxLength(32);
        cluster.Property(c => c.Operation).HasConversion<string>().HasMaxLength(16);
        cluster.Property(c => c.ApplicationType).HasConversion<string>().HasMaxLength(16);
        cluster.Property(c => c.RegistrationState).HasConversion<string>().HasMaxLength(16);
        cluster.Property(c => c.LastOperation).HasConversion<string>().HasMaxLength(16);
        cluster.Property(c => c.LastJobStatus).HasConversion<string>().HasMaxLength(16);
        cluster.Property(c => c.LicenseMode).HasConversion<string>().HasMaxLength(16);
        cluster.Property(c => c.FailureReason).HasConversion<string>().HasMaxLength(48);

        // Restart and cancel find the cluster by its job; the sweeper finds overdue waits; the summary filters by VA.
        cluster.HasIndex(c => c.JobId).HasDatabaseName("ix_cluster_operations_job");
        cluster.HasIndex(c => c.Deadline).HasFilter("deadline IS NOT NULL").HasDatabaseName("ix_cluster_operations_deadline");
        cluster.HasIndex(c => new { c.SmartAccountDomain, c.VirtualAccountName }).HasDatabaseName("ix_cluster_operations_va");
        cluster.HasIndex(c => c.ClusterName).HasDatabaseName("ix_cluster_operations_name");

        cluster.Metadata.UseSnakeCaseColumns();

        modelBuilder.Entity<DataProtectionKey>().ToTable("data_protection_keys").Metadata.UseSnakeCaseColumns();

        MapLicenseAudit(modelBuilder);

        modelBuilder.MapTransactionalOutbox();
    }

    /// <summary>The license audit's runs and findings (docs/audit.md).</summary>
    private static void MapLicenseAudit(ModelBuilder modelBuilder)
    {
        var run = modelBuilder.Entity<LicenseAuditRun>();
        run.ToTable("license_audit_runs");
        run.Property(r => r.Status).HasMaxLength(16);
        run.Property(r => r.RequestedBy).HasMaxLength(256);
        // One running audit across replicas: a second Running row violates this index, whoever inserts it.
        run.HasIndex(r => r.Status).IsUnique().HasFilter("status = 'Running'").HasDatabaseName("ux_license_audit_runs_running");
        run.HasIndex(r => r.StartedAt).HasDatabaseName("ix_license_audit_runs_started");
        run.Metadata.UseSnakeCaseColumns();

        var finding = modelBuilder.Entity<LicenseFinding>();
        finding.ToTable("license_findings");
        finding.Property(f => f.Type).HasConversion<string>().HasMaxLength(32);
        finding.Property(f => f.Severity).HasConversion<string>().HasMaxLength(16);
        finding.Property(f => f.Status).HasMaxLength(16);
        finding.Property(f => f.ClusterName).HasMaxLength(256);
        finding.Property(f => f.SmartAccountDomain).HasMaxLength(256);
        finding.Property(f => f.VirtualAccount).HasMaxLength(256);
        finding.Property(f => f.Evidence).HasColumnType("jsonb");
        // One open finding per cluster and type; the list filters by status, type, severity and VA.
        finding.HasIndex(f => new { f.ClusterName, f.Type }).IsUnique().HasFilter("status = 'Open'").HasDatabaseName("ux_license_findings_open");
        finding.HasIndex(f => new { f.Status, f.Type, f.Severity }).HasDatabaseName("ix_license_findings_status_type");
        finding.HasIndex(f => new { f.SmartAccountDomain, f.VirtualAccount }).HasDatabaseName("ix_license_findings_va");
        finding.Metadata.UseSnakeCaseColumns();
    }
}
