namespace HcsLicensing.Contracts.Chpa;

/// <summary>
/// ClusterAssign to CHPA: how does the cluster reach CSSM? As in HCM-F's log
/// (<c>com.cisco.hcs.hcsagent.message.chpa.GetTransportSettingsRequest</c>). Answered with <see cref="GetTransportSettingsResponse"/>.
/// </summary>
public sealed record GetTransportSettingsRequest
{
    /// <summary>The cluster as named in CHPA's inventory (HCM-F's clusterName, e.g. "cl1-alfa").</summary>
    public required string ClusterName { get; init; }

    /// <summary>The caller's session id (HCM-F's sessionID, e.g. "getTransport-4"), echoed in the response.</summary>
    public string? SessionId { get; init; }
}
