using HcsLicensing.ServiceDefaults.Database;
using HcsLicensing.ServiceDefaults.Outbox;
using HcsLicensing.ServiceDefaults.Sagas;
using HcsLicensing.SmartAccountSync.Licenses;
using HcsLicensing.SmartAccountSync.SmartAccounts;
using HcsLicensing.SmartAccountSync.Sync;
using HcsLicensing.SmartAccountSync.Tokens;
using HcsLicensing.SmartAccountSync.Transport;
using HcsLicensing.SmartAccountSync.VirtualAccounts;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace HcsLicensing.SmartAccountSync.Data;

/// <summary>SmartAccountSync's database: smart accounts, VAs, their license lines, sync runs, registration tokens, transport settings, Data Protection keys.</summary>
public sealed class SmartAccountSyncDbContext(DbContextOptions<SmartAccountSyncDbContext> options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<SmartAccount> SmartAccounts => Set<SmartAccount>();

    public DbSet<VirtualAccount> VirtualAccounts => Set<VirtualAccount>();

    public DbSet<SyncRun> SyncRuns => Set<SyncRun>();

    public DbSet<LicenseLine> LicenseLines => Set<LicenseLine>();

    public DbSet<RegistrationToken> RegistrationTokens => Set<RegistrationToken>();

    public DbSet<TransportSettings> TransportSettings => Set<TransportSettings>();

    public DbSet<SmartAccountTransportSettings> SmartAccountTransportSettings => Set<SmartAccountTransportSettings>();

    /// <summary>The key ring that encrypts client secrets, shared by every instance of the service.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<SmartAccount>(account =>
        {
            account.ToTable("smart_accounts");
            account.HasIndex(a => a.Domain).IsUnique();
            account.Property(a => a.Id).ValueGeneratedNever();
        });

        modelBuilder.Entity<VirtualAccount>(va =>
        {
            va.ToTable("virtual_accounts");
            va.Property(v => v.Id).HasDefaultValueSql("gen_random_uuid()");
            // The bulk upsert's conflict target; also serves "the VAs of a smart account".
            va.HasIndex(v => new { v.SmartAccountId, v.Name }).IsUnique();
            va.HasOne<SmartAccount>().WithMany().HasForeignKey(v => v.SmartAccountId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<LicenseLine>(line =>
        {
            line.ToTable("license_lines");
            line.Property(l => l.Id).UseIdentityAlwaysColumn();
            // A VA's lines; the summary reads all of a smart account's.
            line.HasIndex(l => new { l.SmartAccountId, l.VirtualAccount });
            line.HasOne<SmartAccount>().WithMany().HasForeignKey(l => l.SmartAccountId).OnDelete(DeleteBehavior.Cascade);
            line.Property(l => l.Subscriptions).HasColumnType("jsonb").HasConversion(
                subscriptions => LicenseJson.Write(subscriptions),
                json => LicenseJson.Read(json),
                new ValueComparer<List<LicenseSubscription>>((a, b) => a!.SequenceEqual(b!), s => s.Aggregate(0, (hash, x) => HashCode.Combine(hash, x)), s => s.ToList()));
        });

        modelBuilder.Entity<SyncRun>(run =>
        {
            run.ToTable("sync_runs");
            run.HasKey(r => r.JobId);
            run.Property(r => r.JobId).ValueGeneratedNever();
            run.Property(r => r.Status).HasMaxLength(16);
            run.Property(r => r.Trigger).HasMaxLength(16);
            // At most one running sync per smart account, whichever instance started it.
            run.HasIndex(r => r.SmartAccountId).IsUnique().HasFilter("status = 'Running'").HasDatabaseName("ux_sync_runs_one_running");
            run.HasIndex(r => new { r.SmartAccountId, r.StartedAt }).HasDatabaseName("ix_sync_runs_account_started");
            run.HasOne<SmartAccount>().WithMany().HasForeignKey(r => r.SmartAccountId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<RegistrationToken>(token =>
        {
            token.ToTable("registration_tokens");
            token.HasKey(t => t.Token);
            token.HasIndex(t => new { t.SmartAccountId, t.VirtualAccountName, t.ExpiresAt });
            token.HasOne<SmartAccount>().WithMany().HasForeignKey(t => t.SmartAccountId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<TransportSettings>(settings =>
        {
            settings.ToTable("transport_settings");
            settings.Property(s => s.Id).ValueGeneratedNever();
        });

        modelBuilder.Entity<SmartAccountTransportSettings>(settings =>
        {
            settings.ToTable("smart_account_transport_settings");
            settings.HasKey(s => s.Domain);
        });

        modelBuilder.Entity<DataProtectionKey>().ToTable("data_protection_keys");

        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            entity.UseSnakeCaseColumns();
        }

        modelBuilder.MapTransactionalOutbox();
    }

}
