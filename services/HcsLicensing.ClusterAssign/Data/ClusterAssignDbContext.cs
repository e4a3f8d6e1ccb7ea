using HcsLicensing.ServiceDefaults.Database;
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

        modelBuilder.MapTransactionalOutbox();
    }
}
