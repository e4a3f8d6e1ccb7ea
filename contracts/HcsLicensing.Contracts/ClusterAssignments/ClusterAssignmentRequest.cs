namespace HcsLicensing.Contracts.ClusterAssignments;

/// <summary>
/// Assign a UC cluster to a virtual account (HCM-F's Cluster Assignment): Verification, License Mode Change,
/// Transport Mode Change, Registration. Answered by <see cref="ClusterAssignmentResp"/> once Verification is done.
/// </summary>
public sealed record ClusterAssignmentRequest
{
    /// <summary>The caller's id for this request: the same id again finds the same job and starts nothing new.</summary>
    public required string RequestId { get; init; }

    /// <summary>The cluster as named in CHPA's inventory, e.g. "cl1-alfa".</summary>
    public required string ClusterName { get; init; }

    /// <summary>The smart account's domain, e.g. "hcs-demo.example.com".</summary>
    public required string SmartAccountDomain { get; init; }

    /// <summary>The virtual account to assign the cluster to, e.g. "HCS-DEMO".</summary>
    public required string VirtualAccountName { get; init; }

    /// <summary>Who asked (an operator, a service), for the job's record.</summary>
    public string? RequestedBy { get; init; }
}
