namespace HcsLicensing.ServiceDefaults.Validation;

/// <summary>
/// The longest value each named field may have, in HTTP bodies and in messages alike: the length of the column it is
/// stored in (CHPA's inventory for cluster names and versions, the VA tables for VA names...), or for fields stored
/// nowhere a bound that keeps a record readable. One table, so that an API and a consumer cannot disagree.
/// </summary>
public static class InputLimits
{
    public const int ClusterName = 64;
    public const int RequestId = 128;
    public const int SessionId = 128;
    public const int SmartAccountDomain = 253;
    public const int VirtualAccountName = 256;
    public const int RequestedBy = 256;
    public const int HostName = 253;
    public const int Url = 2048;
    public const int Version = 64;

    /// <summary>Registration (ID) tokens: CSSM's are a few hundred characters.</summary>
    public const int Token = 4096;

    /// <summary>Any other string of a message: descriptions and reasons.</summary>
    public const int Default = 4096;

    private static readonly Dictionary<string, int> ByField = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ClusterName"] = ClusterName,
        ["Remaining"] = ClusterName, // a batch lane's next clusters
        ["Clusters"] = ClusterName,
        ["RequestId"] = RequestId,
        ["SessionId"] = SessionId,
        ["SmartAccountDomain"] = SmartAccountDomain,
        ["VirtualAccountName"] = VirtualAccountName,
        ["VirtualAccount"] = VirtualAccountName,
        ["RequestedBy"] = RequestedBy,
        ["ChangedBy"] = RequestedBy, // a ConfigurationChanged's caller, like a job's
        ["EntityName"] = 256,
        ["JobType"] = 64,
        ["EntityType"] = 64,
        ["Version"] = Version,
        ["IpAddress"] = HostName,
        ["Url"] = Url,
        ["Mode"] = 32,
        ["IdToken"] = Token,
        ["Token"] = Token,
    };

    /// <summary>The limit of a field by its name (C# or JSON spelling).</summary>
    public static int For(string field) => ByField.TryGetValue(field, out var limit) ? limit : Default;
}
