using HcsLicensing.Chpa.Inventory;
using HcsLicensing.Chpa.Registration;
using HcsLicensing.ServiceDefaults.Database;
using HcsLicensing.ServiceDefaults.Outbox;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace HcsLicensing.Chpa.Data;

/// <summary>CHPA's database: the cluster inventory, the registrations being waited for, the Data Protection key ring
/// (so every instance decrypts what another encrypted) and the outbox and inbox of its messages (scheduled ones too).</summary>
public sealed class ChpaDbContext(DbContextOptions<ChpaDbContext> options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<ClusterRecord> Clusters => Set<ClusterRecord>();

    public DbSet<RegistrationWait> RegistrationWaits => Set<RegistrationWait>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        var cluster = modelBuilder.Entity<ClusterRecord>();
        cluster.ToTable("clusters");
        cluster.HasKey(c => c.Id);
        cluster.Property(c => c.Name).HasMaxLength(64);
        cluster.Property(c => c.NormalizedName).HasMaxLength(64);
        cluster.HasIndex(c => c.NormalizedName).IsUnique();
        // Enums as their names, so the table reads without the code at hand and survives reordering.
        cluster.Property(c => c.Type).HasConversion<string>().HasMaxLength(16);
        cluster.Property(c => c.LicenseMode).HasConversion<string>().HasMaxLength(16);
        cluster.Property(c => c.RegistrationState).HasConversion<string>().HasMaxLength(16);
        cluster.Property(c => c.Version).HasMaxLength(32);
        cluster.Property(c => c.ReportedVersion).HasMaxLength(64);
        cluster.Property(c => c.PublisherAddress).HasMaxLength(253);
        cluster.Property(c => c.SmartAccountDomain).HasMaxLength(253);
        cluster.Property(c => c.VirtualAccount).HasMaxLength(256);

        var wait = modelBuilder.Entity<RegistrationWait>();
        wait.ToTable("registration_waits");
        wait.HasKey(w => w.Id);
        wait.Property(w => w.Id).ValueGeneratedNever();
        wait.Property(w => w.ClusterName).HasMaxLength(64);
        wait.Property(w => w.LastSeen).HasMaxLength(64);

        modelBuilder.Entity<DataProtectionKey>().ToTable("data_protection_keys");

        foreach (var entity in new[] { cluster.Metadata, wait.Metadata, modelBuilder.Entity<DataProtectionKey>().Metadata })
        {
            entity.UseSnakeCaseColumns();
        }

        modelBuilder.MapTransactionalOutbox();
    }

}
