namespace HcsLicensing.Contracts.ClusterAssignments;

/// <summary>
/// The answer to a cluster assignment, unassignment or reassignment request, as HCM-F sends it to its UI once the job
/// is created and verified: PASS with the job id (the job runs on; follow it in JobTracker), or FAIL with the reason.
/// Sent to the request's response address; published when the request had none.
/// </summary>
public sealed record ClusterAssignmentResp
{
    /// <summary>The caller's request id.</summary>
    public required string RequestId { get; init; }

    /// <summary>The cluster.</summary>
    public required string ClusterName { get; init; }

    /// <summary>Which operation was asked.</summary>
    public required ClusterOperationType Operation { get; init; }

    /// <summary>The job running (or that ran) the operation; null when the request was refused before a job began.</summary>
    public Guid? JobId { get; init; }

    /// <summary>PASS or FAIL.</summary>
    public required SmartLicResponseCode ResponseCode { get; init; }

    /// <summary>Why, e.g. SmartLicNoError or SmartLicVersionUnsupported.</summary>
    public required SmartLicResponseReason ResponseReason { get; init; }

    /// <summary>The reason in words, e.g. "cl9-old runs 11.5; Smart Licensing through HCM-F needs 12.5 or later".</summary>
    public string? ResponseDescription { get; init; }

    /// <summary>What the operator should do about a FAIL.</summary>
    public string? RecommendedAction { get; init; }

    /// <summary>With SmartLicOperationInProgress: the job of the operation already running on the cluster.</summary>
    public Guid? RunningJobId { get; init; }

    /// <summary>Whether this request repeats an earlier one (same request id): nothing new was started.</summary>
    public bool Duplicate { get; init; }
}
