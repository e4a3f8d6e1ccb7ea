using HcsLicensing.ServiceDefaults.Retention;

namespace HcsLicensing.JobTracker.Data;

/// <summary>What JobTracker keeps (docs/reliability.md, Retention).</summary>
public static class JobRetention
{
    /// <summary>
    /// A job that ended (Succeeded, Failed, Canceled) goes 90 days after its completedAt; its steps are in its own row
    /// (progress_info), so nothing else is left behind. A job In Progress (also one restarted after it failed) is never
    /// pruned: a restart clears completedAt.
    /// </summary>
    public static readonly RetentionRule FinishedJobs = new("FinishedJobs", "jobs", "status <> 'InProgress' AND completed_at < {0}", TimeSpan.FromDays(90));

    /// <summary>An audit entry goes a year after it was made (<c>Retention:Keep:AuditEntries</c>; zero keeps them for ever).</summary>
    public static readonly RetentionRule AuditEntries = new("AuditEntries", "audit_entries", "at < {0}", TimeSpan.FromDays(365));
}
