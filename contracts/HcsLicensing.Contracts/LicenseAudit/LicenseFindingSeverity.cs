namespace HcsLicensing.Contracts.LicenseAudit;

/// <summary>How urgent a finding is.</summary>
public enum LicenseFindingSeverity
{
    /// <summary>Worth a look; nothing is lost yet.</summary>
    Warning,

    /// <summary>A customer is, or is about to be, out of compliance.</summary>
    Critical,
}
