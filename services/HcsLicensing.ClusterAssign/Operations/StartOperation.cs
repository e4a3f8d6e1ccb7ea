using HcsLicensing.Contracts.ClusterAssignments;

namespace HcsLicensing.ClusterAssign.Operations;

/// <summary>Any of the three requests (or a batch lane's next cluster), as the flow needs it.</summary>
public sealed record StartOperation
{
    public required ClusterOperationType Operation { get; init; }

    public required string RequestId { get; init; }

    public required string ClusterName { get; init; }

    public string? SmartAccountDomain { get; init; }

    public string? VirtualAccountName { get; init; }

    public string? RequestedBy { get; init; }

    public Uri? ReplyAddress { get; init; }

    public Guid? ReplyRequestId { get; init; }

    /// <summary>A Reassignment that deregisters and registers even when the cluster reports the target VA already.</summary>
    public bool ReRegister { get; init; }

    /// <summary>With a batch: the clusters to assign after this one, one after the other.</summary>
    public IReadOnlyList<string> BatchRemaining { get; init; } = [];

    /// <summary>With a batch: the job was announced (JobCreated) when the batch was accepted.</summary>
    public bool JobAnnounced { get; init; }

    public static StartOperation From(ClusterAssignmentRequest request) => new()
    {
        Operation = ClusterOperationType.Assignment,
        RequestId = request.RequestId,
        ClusterName = request.ClusterName,
        SmartAccountDomain = request.SmartAccountDomain,
        VirtualAccountName = request.VirtualAccountName,
        RequestedBy = request.RequestedBy,
    };

    public static StartOperation From(ClusterUnassignmentRequest request) => new()
    {
        Operation = ClusterOperationType.Unassignment,
        RequestId = request.RequestId,
        ClusterName = request.ClusterName,
        RequestedBy = request.RequestedBy,
    };

    public static StartOperation From(ClusterReassignmentRequest request) => new()
    {
        Operation = ClusterOperationType.Reassignment,
        RequestId = request.RequestId,
        ClusterName = request.ClusterName,
        SmartAccountDomain = request.SmartAccountDomain,
        VirtualAccountName = request.VirtualAccountName,
        RequestedBy = request.RequestedBy,
        ReRegister = request.ReRegister,
    };
}
