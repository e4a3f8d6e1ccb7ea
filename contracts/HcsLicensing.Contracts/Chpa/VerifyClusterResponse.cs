namespace HcsLicensing.Contracts.Chpa;

/// <summary>
/// CHPA's answer to <see cref="VerifyClusterRequest"/>. PASS means reachable, both credentials accepted and version
/// 12.5 or later; the licensing state is filled whenever the publisher told it, also on FAIL (e.g. chpaVersionUnsupported).
/// </summary>
public sealed record VerifyClusterResponse
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

    /// <summary>The publisher answered.</summary>
    public bool Reachable { get; init; }

    /// <summary>The publisher accepted both the management and the platform credentials.</summary>
    public bool CredentialsAccepted { get; init; }

    /// <summary>The UC application's type as the publisher reports it.</summary>
    public UcApplicationType? ApplicationType { get; init; }

    /// <summary>The active version as the publisher reports it, e.g. "12.5.1.11900-146".</summary>
    public string? Version { get; init; }

    /// <summary>The version is 12.5 or later.</summary>
    public bool VersionSupported { get; init; }

    /// <summary>The current license (deployment) mode.</summary>
    public UcLicenseMode? LicenseMode { get; init; }

    /// <summary>The current transport mode (see <see cref="ChpaTransportModes"/>).</summary>
    public string? TransportMode { get; init; }

    /// <summary>The current registration state.</summary>
    public UcRegistrationState? RegistrationState { get; init; }

    /// <summary>The current authorization state.</summary>
    public UcAuthorizationState? AuthorizationState { get; init; }

    /// <summary>The smart account domain the cluster is registered in, when registered.</summary>
    public string? SmartAccountDomain { get; init; }

    /// <summary>The virtual account the cluster is registered in, when registered.</summary>
    public string? VirtualAccount { get; init; }
}
