namespace HcsLicensing.ClusterAssign.LicenseAudit;

/// <summary>Section LicenseAudit: how audits run (docs/audit.md).</summary>
public sealed class LicenseAuditOptions
{
    public const string Section = "LicenseAudit";

    /// <summary>CHPA verifications in flight at once: the load an audit puts on the UC applications and on CHPA.</summary>
    public int VerifyConcurrency { get; set; } = 16;

    /// <summary>How long one verification may take before the cluster counts as unreachable.</summary>
    public TimeSpan VerifyTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long SmartAccountSync may take to read CSSM's product instances.</summary>
    public TimeSpan CssmTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Time between periodic audits (a day by default); zero turns them off.</summary>
    public TimeSpan Period { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How often each replica looks whether a periodic audit is due.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A product instance CSSM lists whose last contact is older than this is stale (its authorization renews every 30 days).</summary>
    public TimeSpan StaleContactAfter { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// Finding types repaired without an operator: each audit that sees such a finding starts its repair job (requested
    /// by "License audit policy"). Empty by default: nothing repairs itself unless configured.
    /// </summary>
    public List<Contracts.LicenseAudit.LicenseFindingType> AutoRepair { get; set; } = [];

    /// <summary>A running audit without progress for this long was abandoned (its replica died): the next claim fails it.</summary>
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromMinutes(30);
}
