using HcsLicensing.Contracts.Chpa;

namespace HcsLicensing.Chpa.UcApplications.Http;

/// <summary>Between the simulator's wire names and CHPA's model (the seed's transport mode names, the contract enums).</summary>
internal static class UcWireMapping
{
    public static UcTransport? ToTransport(TransportWire? wire) => wire?.Mode switch
    {
        "Direct" => new UcTransport(ChpaTransportModes.Direct),
        "Proxy" => new UcTransport(ChpaTransportModes.Proxy, Host: wire.Host, Port: wire.Port),
        "TransportGateway" => new UcTransport(ChpaTransportModes.TransportGateway, Url: wire.Url),
        _ => null,
    };

    public static TransportWire ToWire(UcTransport transport) => transport.Mode switch
    {
        ChpaTransportModes.Proxy => new TransportWire("Proxy", null, transport.Host, transport.Port),
        ChpaTransportModes.TransportGateway => new TransportWire("TransportGateway", transport.Url, null, null),
        _ => new TransportWire("Direct", null, null, null),
    };

    public static TEnum? Parse<TEnum>(string? value)
        where TEnum : struct, Enum =>
        Enum.TryParse<TEnum>(value, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) ? parsed : null;

    public static UcLicensingStatus? ToStatus(LicensingStatusWire wire)
    {
        var licenseMode = Parse<UcLicenseMode>(wire.LicenseMode);
        var transport = ToTransport(wire.Transport);
        var registration = Parse<UcRegistrationState>(wire.Registration?.State);
        var authorization = Parse<UcAuthorizationState>(wire.Authorization?.State);
        if (wire.ClusterName is null || wire.Version is null || licenseMode is null || transport is null || registration is null || authorization is null)
        {
            return null;
        }

        return new UcLicensingStatus
        {
            ClusterName = wire.ClusterName,
            ProductType = Parse<UcApplicationType>(wire.ProductType),
            Version = wire.Version,
            LicenseMode = licenseMode.Value,
            Transport = transport,
            RegistrationState = registration.Value,
            AuthorizationState = authorization.Value,
            SmartAccountDomain = wire.Registration?.SmartAccountDomain,
            VirtualAccount = wire.Registration?.VirtualAccount,
            ProductInstanceId = wire.Registration?.ProductInstanceId,
            FailureReason = wire.Registration?.FailureReason,
        };
    }
}
