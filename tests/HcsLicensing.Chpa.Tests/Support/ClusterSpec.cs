namespace HcsLicensing.Chpa.Tests.Support;

/// <summary>A cluster as a test sets it up in the UC simulator and in CHPA's inventory: unique name, publisher and passwords.</summary>
public sealed record ClusterSpec(
    string Name,
    string Type,
    string Version,
    string Publisher,
    string ManagementUserName,
    string ManagementPassword,
    string PlatformUserName,
    string PlatformPassword)
{
    public static ClusterSpec New(string tag, string version = "12.5.1.11900-146", string type = "CUCM")
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var name = $"{tag}-{suffix}";
        return new ClusterSpec(
            name,
            type,
            version,
            $"{name}-pub.hcs.test",
            "ccmadministrator",
            $"Mgmt!{Guid.NewGuid():N}",
            "osadmin",
            $"Plat!{Guid.NewGuid():N}");
    }
}
