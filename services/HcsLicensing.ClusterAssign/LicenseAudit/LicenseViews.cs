using HcsLicensing.Contracts.Chpa;

namespace HcsLicensing.ClusterAssign.LicenseAudit;

/// <summary>What we intended: the VA of the cluster's Cluster Summary (the one it was last assigned to and verified in).</summary>
public sealed record IntendedView(string SmartAccountDomain, string VirtualAccount);

/// <summary>One product instance of the cluster as CSSM lists it.</summary>
public sealed record CssmInstanceView(string SmartAccountDomain, string VirtualAccount, string ProductInstanceId, DateTimeOffset? LastContactAt);

/// <summary>
/// What the cluster itself reports through CHPA's VerifyClusterRequest; <see cref="Answered"/> false when CHPA gave no
/// answer in time. <see cref="ResponseReason"/> says whether the rest is known (see <see cref="Known"/>).
/// </summary>
public sealed record ClusterView(
    bool Answered,
    ChpaResponseReason? ResponseReason,
    string? Description,
    UcRegistrationState? RegistrationState,
    UcAuthorizationState? AuthorizationState,
    string? SmartAccountDomain,
    string? VirtualAccount,
    UcLicenseMode? LicenseMode,
    string? TransportMode)
{
    /// <summary>The cluster's own state was read (a version below 12.5 is refused, yet its state is filled).</summary>
    public bool Known => Answered && ResponseReason is ChpaResponseReason.chpaNoError or ChpaResponseReason.chpaVersionUnsupported;

    /// <summary>CHPA's inventory does not have the cluster.</summary>
    public bool NotInInventory => Answered && ResponseReason == ChpaResponseReason.chpaUnknownCluster;

    public bool Registered => Known && RegistrationState == UcRegistrationState.Registered;

    public static ClusterView NoAnswer(string description) => new(false, null, description, null, null, null, null, null, null);
}

/// <summary>The three views of one cluster, as a finding keeps them.</summary>
public sealed record LicenseEvidence(IntendedView? Intended, IReadOnlyList<CssmInstanceView> Cssm, ClusterView? Cluster);
