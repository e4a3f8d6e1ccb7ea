namespace HcsLicensing.SmartAccountSync.Cssm;

/// <summary>
/// The way one CSSM call goes: the token endpoint and swapi base it is sent to, directly or through an HTTP proxy.
/// Built from the saved transport settings (<see cref="Transport.CssmRouteSource"/>).
/// </summary>
public sealed record CssmRoute(Uri TokenUrl, Uri SwapiBaseUrl, CssmProxy? Proxy)
{
    /// <summary>For job details and log lines: "via proxy host:port" or "direct".</summary>
    public string Describe() => Proxy is null ? "direct" : $"via proxy {Proxy}";
}

/// <summary>An HTTP proxy, with basic authentication when it has a user. ToString leaves the password out.</summary>
public sealed record CssmProxy(string Host, int Port, string? User, string? Password)
{
    public Uri Address => new UriBuilder(Uri.UriSchemeHttp, Host, Port).Uri;

    public override string ToString() => $"{(Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host)}:{Port}";
}
