namespace HcsLicensing.Contracts.Chpa;

/// <summary>
/// CHPA's answer to <see cref="ChangeLicenseModeRequest"/>. PASS with Changed false means the mode already held
/// (HLM then marks the step Not Applicable).
/// </summary>
public sealed record ChangeLicenseModeResponse
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

    /// <summary>The mode the cluster was in before, when the publisher told it.</summary>
    public UcLicenseMode? PreviousLicenseMode { get; init; }

    /// <summary>The mode the cluster is in now, when the publisher told it.</summary>
    public UcLicenseMode? LicenseMode { get; init; }

    /// <summary>True when CHPA changed the mode; false when it already held or on FAIL.</summary>
    public bool Changed { get; init; }
}
