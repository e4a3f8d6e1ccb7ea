namespace HcsLicensing.Contracts.Chpa;

/// <summary>
/// ClusterAssign to CHPA for Cluster UnAssignment: deregister the cluster from CSSM (it leaves its virtual account).
/// Answered with <see cref="DeregisterClusterResponse"/>.
/// </summary>
public sealed record DeregisterClusterRequest
{
    /// <summary>The cluster as named in CHPA's inventory (HCM-F's clusterName, e.g. "cl1-alfa").</summary>
    public required string ClusterName { get; init; }

    /// <summary>The caller's session id (HCM-F's sessionID, e.g. "getTransport-4"), echoed in the response.</summary>
    public string? SessionId { get; init; }
}
