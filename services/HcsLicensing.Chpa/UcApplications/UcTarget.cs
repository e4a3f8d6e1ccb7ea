namespace HcsLicensing.Chpa.UcApplications;

/// <summary>Where and as whom CHPA reaches a cluster: its publisher, with the management and platform credentials.</summary>
public sealed class UcTarget(string clusterName, string publisherAddress, UcCredentials management, UcCredentials platform)
{
    public string ClusterName { get; } = clusterName;

    /// <summary>The publisher's host name or IP address.</summary>
    public string PublisherAddress { get; } = publisherAddress;

    /// <summary>The application administrator (licensing API).</summary>
    public UcCredentials Management { get; } = management;

    /// <summary>The OS administrator (platform API: version, restarts).</summary>
    public UcCredentials Platform { get; } = platform;

    public override string ToString() => $"{ClusterName} at {PublisherAddress}";
}
