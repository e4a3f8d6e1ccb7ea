namespace HcsLicensing.Contracts.Chpa;

/// <summary>
/// CHPA's answer to <see cref="SetTransportSettingsRequest"/>, with the settings the cluster holds afterwards.
/// PASS with Changed false means they already held.
/// </summary>
public sealed record SetTransportSettingsResponse
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

    /// <summary>The transport mode now.</summary>
    public string? Mode { get; init; }

    /// <summary>The Transport Gateway's URL now; empty for the other modes.</summary>
    public string Url { get; init; } = "";

    /// <summary>The proxy's host now; empty for the other modes.</summary>
    public string IpAddress { get; init; } = "";

    /// <summary>The proxy's port now.</summary>
    public int? Port { get; init; }

    /// <summary>True when CHPA changed the settings; false when they already held or on FAIL.</summary>
    public bool Changed { get; init; }
}
