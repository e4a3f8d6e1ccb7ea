namespace HcsLicensing.Contracts.Chpa;

/// <summary>
/// CHPA's answer to <see cref="DeregisterClusterRequest"/>. PASS with Changed false means it was not registered.
/// </summary>
public sealed record DeregisterClusterResponse
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

    /// <summary>The registration state after the call.</summary>
    public UcRegistrationState? RegistrationState { get; init; }

    /// <summary>True when this request deregistered the cluster.</summary>
    public bool Changed { get; init; }
}
