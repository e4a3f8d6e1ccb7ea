using HcsLicensing.UcSimulator.Clusters;
using HcsLicensing.UcSimulator.Licensing;

namespace HcsLicensing.UcSimulator.Admin;

/// <summary>PUT /admin/clusters/{name}: a cluster as a test wants it (credentials in clear: this is the simulator's back door).</summary>
public sealed record AdminClusterDto(
    string Type,
    string Version,
    string Publisher,
    string ManagementUserName,
    string ManagementPassword,
    string PlatformUserName,
    string PlatformPassword,
    SimLicenseMode LicenseMode = SimLicenseMode.Enterprise,
    TransportDto? Transport = null,
    SimKnobs? Knobs = null);

/// <summary>GET /admin/clusters/{name}: the state a test inspects, with the publisher's counters; never the passwords.</summary>
public sealed record AdminClusterViewDto(
    string Name,
    string Type,
    string Version,
    string Publisher,
    SimLicenseMode LicenseMode,
    TransportDto Transport,
    RegistrationDto Registration,
    SimAuthorizationState Authorization,
    bool Restarting,
    int RegisterRequests,
    SimKnobs Knobs);

/// <summary>GET /admin/registrations: a cluster whose publisher received register calls, and where it stands now.</summary>
public sealed record AdminRegistrationLineDto(
    string Name, int RegisterRequests, int RegistrationsStarted, SimRegistrationState State, string? SmartAccountDomain, string? VirtualAccount);

/// <summary>GET /admin/clusters: one line per cluster.</summary>
public sealed record AdminClusterLineDto(string Name, string Type, string Version, string Publisher, SimRegistrationState RegistrationState);

public sealed record AdminClusterPageDto(int Total, int Offset, IReadOnlyList<AdminClusterLineDto> Items);

/// <summary>GET /admin/registrations/concurrency: registrations in flight now (register accepted, publisher still restarting) and the most at once since the last reset.</summary>
public sealed record RegistrationsDto(int InFlight, int MostAtOnce)
{
    public static RegistrationsDto From((int InFlight, int Most) read) => new(read.InFlight, read.Most);
}

/// <summary>PUT /admin/clusters/{name}/authorization's body.</summary>
public sealed record AuthorizationChange(SimAuthorizationState State);
