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
}
