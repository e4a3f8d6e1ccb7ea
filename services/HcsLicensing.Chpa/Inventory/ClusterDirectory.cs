using HcsLicensing.Chpa.Data;
using HcsLicensing.Chpa.UcApplications;
using Microsoft.EntityFrameworkCore;

namespace HcsLicensing.Chpa.Inventory;

/// <summary>How the consumers find a cluster of the inventory and reach it, and how they note what its publisher said.</summary>
public sealed class ClusterDirectory(ChpaDbContext db, CredentialProtector protector, TimeProvider clock)
{
    /// <summary>The cluster's publisher with decrypted credentials, or null when the inventory has no such cluster.</summary>
    public async Task<UcTarget?> FindAsync(string clusterName, CancellationToken cancellationToken)
    {
        var normalized = Normalize(clusterName);
        var record = await db.Clusters.AsNoTracking().SingleOrDefaultAsync(c => c.NormalizedName == normalized, cancellationToken);
        return record is null
            ? null
            : new UcTarget(record.Name, record.PublisherAddress, protector.Unprotect(record.ManagementCredentials, record.PublisherAddress), protector.Unprotect(record.PlatformCredentials, record.PublisherAddress));
    }

    /// <summary>Keeps the licensing state the publisher reported, for the Cluster Summary.</summary>
    public async Task RecordStatusAsync(string clusterName, UcLicensingStatus status, CancellationToken cancellationToken)
    {
        var normalized = Normalize(clusterName);
        await db.Clusters.Where(c => c.NormalizedName == normalized).ExecuteUpdateAsync(
            set => set
                .SetProperty(c => c.ReportedVersion, status.Version)
                .SetProperty(c => c.LicenseMode, status.LicenseMode)
                .SetProperty(c => c.RegistrationState, status.RegistrationState)
                .SetProperty(c => c.SmartAccountDomain, status.SmartAccountDomain)
                .SetProperty(c => c.VirtualAccount, status.VirtualAccount)
                .SetProperty(c => c.LastContactAt, clock.GetUtcNow()),
            cancellationToken);
    }

    public static string Normalize(string clusterName) => clusterName.Trim().ToUpperInvariant();
}
