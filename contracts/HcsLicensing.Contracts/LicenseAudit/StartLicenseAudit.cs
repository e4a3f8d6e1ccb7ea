namespace HcsLicensing.Contracts.LicenseAudit;

/// <summary>
/// Starts a license audit (ClusterAssign compares what it assigned, what CSSM lists and what each cluster reports).
/// Only one runs at a time across replicas: a request while one runs joins it.
/// </summary>
public sealed record StartLicenseAudit
{
    /// <summary>Set by ClusterAssign for an audit it already claimed (HTTP, the period); leave empty from another service.</summary>
    public Guid? AuditId { get; init; }

    /// <summary>Who asks (a user or service), shown as the job's requester.</summary>
    public string? RequestedBy { get; init; }
}
