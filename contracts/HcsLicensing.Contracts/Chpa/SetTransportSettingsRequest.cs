namespace HcsLicensing.Contracts.Chpa;

/// <summary>
/// ClusterAssign to CHPA, HLM's Transport Mode Change step: how the cluster shall reach CSSM.
/// Answered with <see cref="SetTransportSettingsResponse"/>.
/// </summary>
public sealed record SetTransportSettingsRequest
{
    /// <summary>The cluster as named in CHPA's inventory (HCM-F's clusterName, e.g. "cl1-alfa").</summary>
    public required string ClusterName { get; init; }

    /// <summary>The caller's session id (HCM-F's sessionID, e.g. "getTransport-4"), echoed in the response.</summary>
    public string? SessionId { get; init; }

    /// <summary>Direct, HTTP/HTTPS Proxy or Transport Gateway (see <see cref="ChpaTransportModes"/>).</summary>
    public required string Mode { get; init; }

    /// <summary>For Transport Gateway: its URL.</summary>
    public string? Url { get; init; }

    /// <summary>For HTTP/HTTPS Proxy: the proxy's host name or IP.</summary>
    public string? IpAddress { get; init; }

    /// <summary>For HTTP/HTTPS Proxy: the proxy's port.</summary>
    public int? Port { get; init; }
}
