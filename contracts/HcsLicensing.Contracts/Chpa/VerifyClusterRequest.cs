namespace HcsLicensing.Contracts.Chpa;

/// <summary>
/// ClusterAssign to CHPA, HLM's Verification step: is the cluster reachable, are its credentials accepted, does it
/// run 12.5 or later, and what is its licensing state now. Answered with <see cref="VerifyClusterResponse"/>.
/// </summary>
public sealed record VerifyClusterRequest
{
    /// <summary>The cluster as named in CHPA's inventory (HCM-F's clusterName, e.g. "cl1-alfa").</summary>
    public required string ClusterName { get; init; }

    /// <summary>The caller's session id (HCM-F's sessionID, e.g. "getTransport-4"), echoed in the response.</summary>
    public string? SessionId { get; init; }
}
