using HcsLicensing.ServiceDefaults.Retention;

namespace HcsLicensing.ClusterAssign.Data;

/// <summary>What ClusterAssign keeps (docs/reliability.md, Retention).</summary>
public static class ClusterAssignRetention
{
    /// <summary>
    /// Any request naming a cluster creates its row (the saga is keyed by the name); when CHPA's inventory does not have
    /// it, the job fails at Verification with SmartLicUnknownCluster and the row would stay in the Cluster Summary for
    /// good. Such a row goes a day after that failure if Verification never read the cluster (no application type): a
    /// cluster that was once known, or is being operated on again, keeps its row.
    /// </summary>
    public static readonly RetentionRule UnknownClusters = new(
        "UnknownClusters",
        "cluster_operations",
        "phase = 'Failed' AND failure_reason = 'SmartLicUnknownCluster' AND application_type IS NULL AND updated_at < {0}",
        TimeSpan.FromDays(1));

    /// <summary>License audits that ended, a year after (their findings name them; the job stays at JobTracker).</summary>
    public static readonly RetentionRule LicenseAudits = new(
        "LicenseAudits",
        "license_audit_runs",
        "status <> 'Running' AND completed_at < {0}",
        TimeSpan.FromDays(365));

    /// <summary>Closed license audit findings, a year after they closed; open ones stay while audits see them.</summary>
    public static readonly RetentionRule ClosedLicenseFindings = new(
        "ClosedLicenseFindings",
        "license_findings",
        "status = 'Closed' AND closed_at < {0}",
        TimeSpan.FromDays(365));
}
