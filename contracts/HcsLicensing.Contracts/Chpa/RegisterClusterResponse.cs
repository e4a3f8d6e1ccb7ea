namespace HcsLicensing.Contracts.Chpa;

/// <summary>
/// CHPA's answer to <see cref="RegisterClusterRequest"/>, once the cluster is registered, failed, or the deadline
/// passed (chpaTimedOut). PASS with Changed false means it was already registered and Force was not asked.
/// </summary>
public sealed record RegisterClusterResponse
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

    /// <summary>The registration state last read from the publisher.</summary>
    public UcRegistrationState? RegistrationState { get; init; }

    /// <summary>The authorization state last read from the publisher.</summary>
    public UcAuthorizationState? AuthorizationState { get; init; }

    /// <summary>The smart account domain the cluster is registered in.</summary>
    public string? SmartAccountDomain { get; init; }

    /// <summary>The virtual account the cluster is registered in.</summary>
    public string? VirtualAccount { get; init; }

    /// <summary>CSSM's product instance id of the cluster.</summary>
    public string? ProductInstanceId { get; init; }

    /// <summary>True when this request registered the cluster.</summary>
    public bool Changed { get; init; }
}
