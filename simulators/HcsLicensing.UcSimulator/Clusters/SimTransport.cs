namespace HcsLicensing.UcSimulator.Clusters;

/// <summary>Transport settings: Direct; Proxy with host and port; TransportGateway with a URL.</summary>
public sealed record SimTransport(SimTransportMode Mode, string? Url = null, string? Host = null, int? Port = null)
{
    public static readonly SimTransport Direct = new(SimTransportMode.Direct);

    /// <summary>Why these settings cannot be applied, or null when they can (the settings a real agent would refuse).</summary>
    public string? Problem() => Mode switch
    {
        SimTransportMode.Proxy when string.IsNullOrWhiteSpace(Host) => "a proxy needs a host",
        SimTransportMode.Proxy when Port is not (> 0 and <= 65535) => "a proxy needs a port between 1 and 65535",
        SimTransportMode.TransportGateway when !Uri.TryCreate(Url, UriKind.Absolute, out _) => "a transport gateway needs an absolute URL",
        _ => null,
    };

    /// <summary>The same settings without the fields the mode does not use.</summary>
    public SimTransport Normalized() => Mode switch
    {
        SimTransportMode.Proxy => new(Mode, null, Host, Port),
        SimTransportMode.TransportGateway => new(Mode, Url),
        _ => Direct,
    };
}
