namespace HcsLicensing.Chpa.UcApplications.Http;

// The simulator's JSON, field for field; enums travel as their names and are read as strings, so that a value this
// version does not know is reported (Unexpected) rather than failing deserialization.

public sealed record PlatformVersionWire(string? ProductType, string? ActiveVersion, string? ClusterName);

public sealed record LicensingStatusWire(
    string? ClusterName,
    string? ProductType,
    string? Version,
    string? LicenseMode,
    TransportWire? Transport,
    RegistrationWire? Registration,
    AuthorizationWire? Authorization);

public sealed record RegistrationWire(string? State, string? SmartAccountDomain, string? VirtualAccount, string? ProductInstanceId, string? FailureReason);

public sealed record AuthorizationWire(string? State);

public sealed record LicenseModeWire(string? LicenseMode);

public sealed record LicenseModeChangedWire(string? LicenseMode, string? PreviousLicenseMode);

/// <summary>Mode Direct, Proxy or TransportGateway.</summary>
public sealed record TransportWire(string? Mode, string? Url, string? Host, int? Port);

public sealed record RegisterWire(string IdToken, bool Force);

public sealed record RegisterAcceptedWire(string? State, int RestartSeconds);

public sealed record ErrorWire(string? Error, string? ErrorDescription);
