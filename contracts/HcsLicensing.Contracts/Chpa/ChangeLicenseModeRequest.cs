namespace HcsLicensing.Contracts.Chpa;

/// <summary>
/// ClusterAssign to CHPA, HLM's License Mode Change step: put the cluster in this license (deployment) mode.
/// Answered with <see cref="ChangeLicenseModeResponse"/>.
/// </summary>
public sealed record ChangeLicenseModeRequest
{
    /// <summary>The cluster as named in CHPA's inventory (HCM-F's clusterName, e.g. "cl1-alfa").</summary>
    public required string ClusterName { get; init; }

    /// <summary>The caller's session id (HCM-F's sessionID, e.g. "getTransport-4"), echoed in the response.</summary>
    public string? SessionId { get; init; }

    /// <summary>The mode wanted, HCS for clusters managed by HCM-F.</summary>
    public required UcLicenseMode LicenseMode { get; init; }
}
