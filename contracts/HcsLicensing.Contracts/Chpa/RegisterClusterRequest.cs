namespace HcsLicensing.Contracts.Chpa;

/// <summary>
/// ClusterAssign to CHPA, HLM's Registration step: register the cluster with CSSM using an ID token of the
/// virtual account. The publisher restarts while registering, so the answer (<see cref="RegisterClusterResponse"/>)
/// comes when the registration finished or CHPA's deadline passed, minutes later; CHPA holds no consumer meanwhile.
/// </summary>
public sealed record RegisterClusterRequest
{
    /// <summary>The cluster as named in CHPA's inventory (HCM-F's clusterName, e.g. "cl1-alfa").</summary>
    public required string ClusterName { get; init; }

    /// <summary>The caller's session id (HCM-F's sessionID, e.g. "getTransport-4"), echoed in the response.</summary>
    public string? SessionId { get; init; }

    /// <summary>The registration (ID) token of the virtual account. A secret: CHPA never logs or stores it beyond the call.</summary>
    public required string IdToken { get; init; }

    /// <summary>Register even when already registered (Cluster ReAssignment moves it to another virtual account).</summary>
    public bool Force { get; init; }
}
