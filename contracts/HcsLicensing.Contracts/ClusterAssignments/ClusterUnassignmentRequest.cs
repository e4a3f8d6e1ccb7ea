namespace HcsLicensing.Contracts.ClusterAssignments;

/// <summary>
/// Remove a UC cluster from its virtual account (HCM-F's Cluster UnAssignment): Verification, then Deregistration.
/// Answered by <see cref="ClusterAssignmentResp"/>.
/// </summary>
public sealed record ClusterUnassignmentRequest
{
    /// <summary>The caller's id for this request: the same id again finds the same job and starts nothing new.</summary>
    public required string RequestId { get; init; }

    /// <summary>The cluster as named in CHPA's inventory.</summary>
    public required string ClusterName { get; init; }

    /// <summary>Who asked, for the job's record.</summary>
    public string? RequestedBy { get; init; }
}
