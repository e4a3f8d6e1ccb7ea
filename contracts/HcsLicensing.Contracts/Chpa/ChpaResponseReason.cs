namespace HcsLicensing.Contracts.Chpa;

/// <summary>
/// Why CHPA answered as it did, in the style of HCM-F's logs (<c>&lt;responseReason&gt;chpaNoError&lt;/responseReason&gt;</c>).
/// Every failure has its own value, so that a caller decides on it without parsing text.
/// </summary>
public enum ChpaResponseReason
{
    /// <summary>Success (with <see cref="ChpaResponseCode.PASS"/>).</summary>
    chpaNoError,

    /// <summary>The cluster is not in CHPA's inventory.</summary>
    chpaUnknownCluster,

    /// <summary>The publisher could not be reached (connection refused or dropped, or it kept answering 5xx).</summary>
    chpaClusterUnreachable,

    /// <summary>The publisher refused the management or platform credentials CHPA holds for it.</summary>
    chpaCredentialsRefused,

    /// <summary>The cluster runs a version older than 12.5, which Smart Licensing through HCM-F does not support.</summary>
    chpaVersionUnsupported,

    /// <summary>The ID token was refused when the cluster registered with CSSM (unknown, expired or of another account).</summary>
    chpaTokenRejected,

    /// <summary>The publisher did not answer in time, or a registration did not finish before CHPA's deadline.</summary>
    chpaTimedOut,

    /// <summary>The registration ended in the Failed state for another reason than the token (e.g. CSSM unreachable from the cluster).</summary>
    chpaRegistrationFailed,

    /// <summary>The request itself is incomplete or contradictory (e.g. a proxy without a host); nothing was sent to the cluster.</summary>
    chpaInvalidRequest,

    /// <summary>The publisher answered something CHPA does not understand; the description carries what it said.</summary>
    chpaUnexpectedAnswer,
}
