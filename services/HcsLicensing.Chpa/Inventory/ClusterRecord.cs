using HcsLicensing.Contracts.Chpa;

namespace HcsLicensing.Chpa.Inventory;

/// <summary>
/// A UC cluster in CHPA's inventory: what an operator entered, plus the licensing state last read from its publisher
/// (the Cluster Summary's Smart Account column). Credentials are Data Protection ciphertext, never plain text.
/// </summary>
public sealed class ClusterRecord
{
    public Guid Id { get; set; }

    /// <summary>The cluster's name as entered, e.g. "cl1-alfa".</summary>
    public string Name { get; set; } = "";

    /// <summary>Upper-case name: names are unique regardless of case, as in HCM-F.</summary>
    public string NormalizedName { get; set; } = "";

    public UcApplicationType Type { get; set; }

    /// <summary>The version entered, e.g. "12.5"; the publisher's own report goes to <see cref="ReportedVersion"/>.</summary>
    public string Version { get; set; } = "";

    /// <summary>The publisher's host name or IP address.</summary>
    public string PublisherAddress { get; set; } = "";

    /// <summary>Protected JSON of the application administrator's user name and password.</summary>
    public string ManagementCredentials { get; set; } = "";

    /// <summary>Protected JSON of the OS administrator's user name and password.</summary>
    public string PlatformCredentials { get; set; } = "";

    public string? ReportedVersion { get; set; }

    public UcLicenseMode? LicenseMode { get; set; }

    public UcRegistrationState? RegistrationState { get; set; }

    public string? SmartAccountDomain { get; set; }

    public string? VirtualAccount { get; set; }

    /// <summary>When CHPA last read the publisher's licensing state.</summary>
    public DateTimeOffset? LastContactAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
