using HcsLicensing.Contracts.Chpa;
using HcsLicensing.Contracts.ClusterAssignments;
using HcsLicensing.Contracts.Jobs;
using MassTransit;

namespace HcsLicensing.ClusterAssign.Operations;

/// <summary>
/// One row per UC cluster: what the Cluster Summary shows (type, version, smart account, VA, last job) and the
/// operation running on it now. Keyed by the cluster, so two operations on one cluster cannot run at once: the
/// second finds the first in this row. Changed only by <see cref="ClusterOperationFlow"/>.
/// </summary>
public sealed class ClusterOperationState : SagaStateMachineInstance
{
    public Guid CorrelationId { get; set; }

    public string CurrentState { get; set; } = "";

    public string ClusterName { get; set; } = "";

    // --- The Cluster Summary, as last verified ---
    public UcApplicationType? ApplicationType { get; set; }

    public string? Version { get; set; }

    public string? SmartAccountDomain { get; set; }

    public string? VirtualAccountName { get; set; }

    public UcRegistrationState? RegistrationState { get; set; }

    public Guid? LastJobId { get; set; }

    public ClusterOperationType? LastOperation { get; set; }

    public JobStatus? LastJobStatus { get; set; }

    public DateTimeOffset? UpdatedAt { get; set; }

    // --- The current (or last) operation ---
    public OperationPhase Phase { get; set; }

    public Guid? JobId { get; set; }

    public string? RequestId { get; set; }

    public ClusterOperationType Operation { get; set; }

    public int Attempt { get; set; }

    public string? TargetDomain { get; set; }

    public string? TargetVirtualAccount { get; set; }

    public string? RequestedBy { get; set; }

    /// <summary>A Reassignment that re-registers even when the cluster reports the target VA (its CSSM instance was moved).</summary>
    public bool ReRegister { get; set; }

    public string? CurrentStep { get; set; }

    public string? FailedStep { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    /// <summary>With Failed: why, kept to answer a repeated request the same way.</summary>
    public Contracts.ClusterAssignments.SmartLicResponseReason? FailureReason { get; set; }

    public string? FailureError { get; set; }

    public string? RecommendedAction { get; set; }

    /// <summary>Sent as the SessionId of each request and matched on its answer, so a late answer to an earlier wait is ignored.</summary>
    public Guid WaitToken { get; set; }

    /// <summary>When the current wait times out; the row itself is the durable timeout (see <see cref="StepDeadlineSweeper"/>).</summary>
    public DateTimeOffset? Deadline { get; set; }

    /// <summary>Facts from Verification that decide whether the later steps apply.</summary>
    public UcLicenseMode? LicenseMode { get; set; }

    public string? TransportMode { get; set; }

    /// <summary>
    /// The registration token Verification obtained, kept for Registration so that it is not asked for twice: Data
    /// Protection ciphertext with the token's expiry inside (<see cref="Steps.RegistrationTokenSafe"/>), never the
    /// token itself; cleared when Registration takes it and when the job ends.
    /// </summary>
    public string? ProtectedToken { get; set; }

    /// <summary>Where ClusterAssignmentResp goes once Verification ends (null: published); cleared once sent.</summary>
    public string? ReplyAddress { get; set; }

    public Guid? ReplyRequestId { get; set; }

    public bool Replied { get; set; }

    /// <summary>With an assignment of several clusters: the clusters still to assign after this one, in this lane.</summary>
    public List<string> BatchRemaining { get; set; } = [];

    /// <summary>Recent request ids on this cluster and their jobs, so a repeated request finds its job.</summary>
    public List<string> RecentRequestIds { get; set; } = [];

    public List<Guid> RecentJobIds { get; set; } = [];

    public bool IsRunning => Phase is not (OperationPhase.Idle or OperationPhase.Failed);
}
