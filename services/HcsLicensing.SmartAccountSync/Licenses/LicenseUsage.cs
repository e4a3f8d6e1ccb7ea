namespace HcsLicensing.SmartAccountSync.Licenses;

/// <summary>How a license line reads to an operator.</summary>
public static class LicenseUsage
{
    /// <summary>CSSM's status of a line with enough licenses, as Cisco writes it.</summary>
    public const string InCompliance = "In Compliance";

    /// <summary>Short: more in use than bought, or any status CSSM gives other than In Compliance (Insufficient Licenses, ...).</summary>
    public static bool IsShort(int available, string status) => available < 0 || !string.Equals(status, InCompliance, StringComparison.Ordinal);
}
