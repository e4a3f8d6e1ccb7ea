namespace HcsLicensing.ClusterAssign.LicenseAudit;

/// <summary>
/// One license audit (table license_audit_runs); its id is its job's id. At most one row is Running: a partial unique
/// index makes a second claim fail in whichever replica makes it, so one audit runs at a time across replicas.
/// </summary>
public sealed class LicenseAuditRun
{
    public const string Running = "Running";
    public const string Succeeded = "Succeeded";
    public const string Failed = "Failed";

    public Guid Id { get; set; }

    public string Status { get; set; } = Running;

    public string? RequestedBy { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    /// <summary>Moved on at every phase: a Running row whose heartbeat is older than LicenseAudit:StaleAfter was abandoned.</summary>
    public DateTimeOffset HeartbeatAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    public int Clusters { get; set; }

    public int NewFindings { get; set; }

    public int ClosedFindings { get; set; }

    public int OpenFindings { get; set; }

    public string? Error { get; set; }
}
