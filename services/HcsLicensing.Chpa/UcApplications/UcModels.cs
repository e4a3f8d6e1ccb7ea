using HcsLicensing.Contracts.Chpa;

namespace HcsLicensing.Chpa.UcApplications;

/// <summary>What the platform API says about the installed application.</summary>
public sealed record UcPlatformVersion(UcApplicationType? ProductType, string ActiveVersion);

/// <summary>Transport settings with the seed's mode names (<see cref="ChpaTransportModes"/>).</summary>
public sealed record UcTransport(string Mode, string? Url = null, string? Host = null, int? Port = null);

/// <summary>A license mode change: the mode now and before.</summary>
public sealed record UcLicenseModeChange(UcLicenseMode LicenseMode, UcLicenseMode PreviousLicenseMode);

/// <summary>A register the publisher accepted; it restarts for about RestartSeconds.</summary>
public sealed record UcRegistrationAccepted(int RestartSeconds);

/// <summary>The Smart Agent's whole state ("show license status").</summary>
public sealed record UcLicensingStatus
{
    public required string ClusterName { get; init; }

    public UcApplicationType? ProductType { get; init; }

    public required string Version { get; init; }

    public required UcLicenseMode LicenseMode { get; init; }

    public required UcTransport Transport { get; init; }

    public required UcRegistrationState RegistrationState { get; init; }

    public required UcAuthorizationState AuthorizationState { get; init; }

    public string? SmartAccountDomain { get; init; }

    public string? VirtualAccount { get; init; }

    public string? ProductInstanceId { get; init; }

    /// <summary>Why the last registration failed, as "code: description" (e.g. "invalid_token: ...").</summary>
    public string? FailureReason { get; init; }
}
