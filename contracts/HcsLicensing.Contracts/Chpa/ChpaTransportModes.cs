namespace HcsLicensing.Contracts.Chpa;

/// <summary>
/// The values of the transport <c>mode</c> field as HCM-F's logs spell them (<c>&lt;mode&gt;HTTP/HTTPS Proxy&lt;/mode&gt;</c>).
/// Constants only, so that callers need not retype the strings.
/// </summary>
public static class ChpaTransportModes
{
    /// <summary>Straight to Cisco's cloud; url, ipAddress and port are empty.</summary>
    public const string Direct = "Direct";

    /// <summary>Through an HTTP/HTTPS proxy: ipAddress (host name or IP) and port are set.</summary>
    public const string Proxy = "HTTP/HTTPS Proxy";

    /// <summary>Through a Transport Gateway or satellite: url is set.</summary>
    public const string TransportGateway = "Transport Gateway";
}
