using HcsLicensing.Contracts.LicenseAudit;

namespace HcsLicensing.ClusterAssign.LicenseAudit;

/// <summary>
/// A drift a license audit saw (table license_findings): open while audits keep seeing it, closed by the first audit that
/// does not. At most one open finding per cluster and type (a partial unique index); a later recurrence is a new one.
/// </summary>
public sealed class LicenseFinding
{
    public const string Open = "Open";
    public const string Closed = "Closed";

    public Guid Id { get; set; }

    public LicenseFindingType Type { get; set; }

    public LicenseFindingSeverity Severity { get; set; }

    public string Status { get; set; } = Open;

    public string ClusterName { get; set; } = "";

    /// <summary>The smart account and VA the finding concerns: the assigned ones, else the ones observed.</summary>
    public string? SmartAccountDomain { get; set; }

    public string? VirtualAccount { get; set; }

    public string Summary { get; set; } = "";

    /// <summary>The three views as the last audit that saw it read them (<see cref="LicenseEvidence"/> as jsonb).</summary>
    public string Evidence { get; set; } = "{}";

    public DateTimeOffset FirstSeenAt { get; set; }

    public DateTimeOffset LastSeenAt { get; set; }

    public DateTimeOffset? ClosedAt { get; set; }

    public Guid FirstAuditId { get; set; }

    public Guid LastAuditId { get; set; }

    /// <summary>The job of the last repair started from this finding, if any.</summary>
    public Guid? RepairJobId { get; set; }
}
