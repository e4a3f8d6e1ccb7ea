namespace HcsLicensing.Contracts.LicenseAudit;

/// <summary>The kinds of drift a license audit reports (docs/audit.md).</summary>
public enum LicenseFindingType
{
    /// <summary>The cluster is registered (CSSM lists it or it says so) but no assignment of ours put it there.</summary>
    RegisteredOutOfBand,

    /// <summary>Registered in another virtual account than the one assigned.</summary>
    WrongVirtualAccount,

    /// <summary>Assigned, but the cluster is not registered or CSSM lists no instance of it.</summary>
    LostRegistration,

    /// <summary>CSSM lists the cluster more than once (in several virtual accounts, or twice in one).</summary>
    Duplicate,

    /// <summary>The cluster's authorization expired or it is out of compliance.</summary>
    AuthorizationExpired,

    /// <summary>CSSM lists the cluster, but it has not contacted CSSM for LicenseAudit:StaleContactAfter (its authorization will lapse).</summary>
    Stale,

    /// <summary>CHPA could not reach the cluster or its credentials were refused: its own view is unknown.</summary>
    Unreachable,
}
