namespace HcsLicensing.SmartAccountSync.Transport;

/// <summary>
/// The saved columns of one route towards CSSM: Direct, or an HTTP proxy (with optional basic authentication), plus
/// the authentication gateway and CSSM server URLs. The default route and each smart account's own share them.
/// </summary>
public abstract class TransportRouteSettings
{
    /// <summary>Direct or Proxy.</summary>
    public string Mode { get; set; } = "Direct";

    public string? ProxyHost { get; set; }

    public int? ProxyPort { get; set; }

    /// <summary>The proxy's basic authentication user; null when the proxy wants none.</summary>
    public string? ProxyUser { get; set; }

    /// <summary>The proxy password as Data Protection ciphertext (<see cref="ProxyPasswordProtector"/>); never returned.</summary>
    public string? ProtectedProxyPassword { get; set; }

    /// <summary>The OAuth2 token URL (cloud SSO / id.cisco.com).</summary>
    public string AuthenticationGateway { get; set; } = "";

    /// <summary>swapi's base URL.</summary>
    public string CssmServer { get; set; } = "";

    public DateTimeOffset UpdatedAt { get; set; }
}
