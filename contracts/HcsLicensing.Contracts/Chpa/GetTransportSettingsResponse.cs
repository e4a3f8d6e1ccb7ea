namespace HcsLicensing.Contracts.Chpa;

/// <summary>
/// CHPA's answer to <see cref="GetTransportSettingsRequest"/> with the fields of HCM-F's log: mode, url, ipAddress, port.
/// </summary>
public sealed record GetTransportSettingsResponse
{
    /// <summary>The cluster the request named.</summary>
    public required string ClusterName { get; init; }

    /// <summary>The request's session id, echoed.</summary>
    public string? SessionId { get; init; }

    /// <summary>PASS or FAIL.</summary>
    public required ChpaResponseCode ResponseCode { get; init; }

    /// <summary>chpaNoError on PASS; on FAIL, the cause.</summary>
    public required ChpaResponseReason ResponseReason { get; init; }

    /// <summary>For people: what happened, e.g. the publisher's own message. Never holds credentials or tokens.</summary>
    public string? ResponseDescription { get; init; }

    /// <summary>Direct, HTTP/HTTPS Proxy or Transport Gateway (see <see cref="ChpaTransportModes"/>); null on FAIL.</summary>
    public string? Mode { get; init; }

    /// <summary>The Transport Gateway's URL; empty for the other modes.</summary>
    public string Url { get; init; } = "";

    /// <summary>The proxy's host name or IP (e.g. "proxy.esl.cisco.com"); empty for the other modes.</summary>
    public string IpAddress { get; init; } = "";

    /// <summary>The proxy's port (e.g. 8080); null for the other modes.</summary>
    public int? Port { get; init; }
}
