namespace HcsLicensing.Contracts.LicenseAudit;

/// <summary>A license audit saw a new finding: the cluster's license state drifted from what was assigned.</summary>
public sealed record LicenseDriftDetected
{
    /// <summary>The finding's id (GET /findings/{id} at ClusterAssign).</summary>
    public required Guid FindingId { get; init; }

    /// <summary>The audit that saw it first.</summary>
    public required Guid AuditId { get; init; }

    /// <summary>What drifted.</summary>
    public required LicenseFindingType Type { get; init; }

    /// <summary>How urgent.</summary>
    public required LicenseFindingSeverity Severity { get; init; }

    /// <summary>The UC cluster.</summary>
    public required string ClusterName { get; init; }

    /// <summary>The smart account the finding concerns (the assigned one, else the one observed), if any.</summary>
    public string? SmartAccountDomain { get; init; }

    /// <summary>The virtual account the finding concerns (the assigned one, else the one observed), if any.</summary>
    public string? VirtualAccount { get; init; }

    /// <summary>What was seen, in words.</summary>
    public required string Summary { get; init; }

    /// <summary>When it was first seen.</summary>
    public required DateTimeOffset FirstSeenAt { get; init; }
}
