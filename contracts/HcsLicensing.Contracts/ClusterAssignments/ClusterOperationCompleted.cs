using HcsLicensing.Contracts.Jobs;

namespace HcsLicensing.Contracts.ClusterAssignments;

/// <summary>
/// Published when a cluster operation's job ends (Succeeded, Failed or Canceled), for services that track which
/// cluster is in which virtual account.
/// </summary>
public sealed record ClusterOperationCompleted
{
    /// <summary>The job.</summary>
    public required Guid JobId { get; init; }

    /// <summary>The caller's request id.</summary>
    public required string RequestId { get; init; }

    /// <summary>The cluster.</summary>
    public required string ClusterName { get; init; }

    /// <summary>Which operation ran.</summary>
    public required ClusterOperationType Operation { get; init; }

    /// <summary>Succeeded, Failed or Canceled.</summary>
    public required JobStatus Status { get; init; }

    /// <summary>The smart account the cluster is registered in now; null when in none.</summary>
    public string? SmartAccountDomain { get; init; }

    /// <summary>The virtual account the cluster is in now; null when in none.</summary>
    public string? VirtualAccountName { get; init; }

    /// <summary>With Failed: the step that failed.</summary>
    public string? FailedStep { get; init; }

    /// <summary>With Failed: why.</summary>
    public SmartLicResponseReason? Reason { get; init; }

    /// <summary>With Failed: the error in words.</summary>
    public string? ErrorDescription { get; init; }

    /// <summary>When the job ended.</summary>
    public required DateTimeOffset CompletedAt { get; init; }
}
