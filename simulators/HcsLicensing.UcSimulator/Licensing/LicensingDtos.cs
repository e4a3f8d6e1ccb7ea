using HcsLicensing.UcSimulator.Clusters;

namespace HcsLicensing.UcSimulator.Licensing;

/// <summary>GET platform/version: what the platform (OS administration) API tells about the installed application.</summary>
public sealed record PlatformVersionDto(string ProductType, string ActiveVersion, string ClusterName);

/// <summary>GET smartlicensing/status: the Smart Agent's whole state ("show license status").</summary>
public sealed record LicensingStatusDto(
    string ClusterName,
    string ProductType,
    string Version,
    SimLicenseMode LicenseMode,
    TransportDto Transport,
    RegistrationDto Registration,
    AuthorizationDto Authorization);

public sealed record RegistrationDto(
    SimRegistrationState State,
    string? SmartAccountDomain,
    string? VirtualAccount,
    string? ProductInstanceId,
    string? FailureReason,
    DateTimeOffset? LastAttemptAt);

public sealed record AuthorizationDto(SimAuthorizationState State);

/// <summary>License mode, read and written.</summary>
public sealed record LicenseModeDto(SimLicenseMode LicenseMode);

/// <summary>PUT smartlicensing/license-mode answer: the mode now and before.</summary>
public sealed record LicenseModeChangedDto(SimLicenseMode LicenseMode, SimLicenseMode PreviousLicenseMode);

/// <summary>Transport settings, read and written: mode Direct, Proxy (host, port) or TransportGateway (url).</summary>
public sealed record TransportDto(SimTransportMode Mode, string? Url, string? Host, int? Port)
{
    public static TransportDto From(SimTransport transport) => new(transport.Mode, transport.Url, transport.Host, transport.Port);

    public SimTransport ToTransport() => new(Mode, Url, Host, Port);
}

/// <summary>POST smartlicensing/register body. Force re-registers a registered cluster (e.g. into another virtual account).</summary>
public sealed record RegisterDto(string? IdToken, bool Force);

/// <summary>POST smartlicensing/register 202 answer: registering, the publisher restarts for about RestartSeconds.</summary>
public sealed record RegisterAcceptedDto(SimRegistrationState State, int RestartSeconds);

/// <summary>The error body of a refused call, e.g. {"error":"already_registered","errorDescription":"..."}.</summary>
public sealed record ErrorDto(string Error, string ErrorDescription);
