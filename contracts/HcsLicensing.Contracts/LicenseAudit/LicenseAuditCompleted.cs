namespace HcsLicensing.Contracts.LicenseAudit;

/// <summary>A license audit ended: how many clusters it compared and what it found.</summary>
public sealed record LicenseAuditCompleted
{
    /// <summary>The audit, also its job's id at JobTracker.</summary>
    public required Guid AuditId { get; init; }

    /// <summary>Clusters compared (those ClusterAssign knows and those CSSM lists that CHPA's inventory has).</summary>
    public required int Clusters { get; init; }

    /// <summary>Findings open after the audit.</summary>
    public required int OpenFindings { get; init; }

    /// <summary>Findings this audit saw first.</summary>
    public required int NewFindings { get; init; }

    /// <summary>Findings that closed because this audit no longer saw them.</summary>
    public required int ClosedFindings { get; init; }

    /// <summary>When the audit ended.</summary>
    public required DateTimeOffset CompletedAt { get; init; }
}
