namespace HcsLicensing.ClusterAssign.Operations;

/// <summary>
/// ClusterAssign to itself: assign the next cluster of a batch lane. A batch of N clusters at concurrency C runs as C
/// lanes; each job, when it ends, sends its lane's next cluster, so the concurrency holds without any counter to keep.
/// </summary>
public sealed record AssignClusterInBatch
{
    public required string RequestId { get; init; }

    public required string ClusterName { get; init; }

    public required string SmartAccountDomain { get; init; }

    public required string VirtualAccountName { get; init; }

    public string? RequestedBy { get; init; }

    /// <summary>The lane's clusters after this one.</summary>
    public IReadOnlyList<string> Remaining { get; init; } = [];
}
