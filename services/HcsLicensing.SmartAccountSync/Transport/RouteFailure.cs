using System.Net;
using System.Security.Authentication;
using HcsLicensing.SmartAccountSync.Cssm;
using Refit;

namespace HcsLicensing.SmartAccountSync.Transport;

/// <summary>
/// What about a route failed, in an operator's words, with a reason code: the proxy cannot be reached, wants (other)
/// credentials, TLS failed, or CSSM could not be reached or refused. Shared by the check before a save and the sync
/// job's failure, so both say the same thing about the same fault.
/// </summary>
public sealed record RouteFailure(string Reason, string Title, string Detail)
{
    public const string ProxyUnreachable = "proxy_unreachable";
    public const string ProxyAuthenticationRequired = "proxy_authentication_required";
    public const string TlsFailed = "tls_failed";
    public const string CssmUnreachable = "cssm_unreachable";
    public const string CssmRefused = "cssm_refused";
    public const string Timeout = "timeout";

    /// <summary>A failure an HTTP answer shows, or null for one that is not the route's (CSSM's own 4xx/5xx).</summary>
    public static RouteFailure? FromStatus(HttpStatusCode status, CssmRoute route, Uri target) => status switch
    {
        HttpStatusCode.ProxyAuthenticationRequired => ProxyAuthentication(route),
        HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout when route.Proxy is not null => new(CssmUnreachable, "The proxy could not reach CSSM",
            $"proxy {route.Proxy} answered HTTP {(int)status} for {target.GetLeftPart(UriPartial.Authority)}: check the URL and that the proxy may reach it"),
        _ => null,
    };

    /// <summary>The failure a thrown exception shows, or null when it is not about the route.</summary>
    public static RouteFailure? FromException(Exception exception, CssmRoute route, Uri target)
    {
        if (exception is ApiException api)
        {
            return FromStatus(api.StatusCode, route, target);
        }

        var http = Find<HttpRequestException>(exception);
        if (http is null)
        {
            return exception is TaskCanceledException or Polly.Timeout.TimeoutRejectedException
                ? new(Timeout, "CSSM did not answer in time", $"no answer from {target.GetLeftPart(UriPartial.Authority)} {route.Describe()} in time")
                : null;
        }

        var proxy = route.Proxy;
        return http.HttpRequestError switch
        {
            // A 401 to CONNECT is the proxy's too (tinyproxy answers wrong credentials so).
            HttpRequestError.ProxyTunnelError when http.StatusCode is HttpStatusCode.ProxyAuthenticationRequired or HttpStatusCode.Unauthorized => ProxyAuthentication(route),
            HttpRequestError.ProxyTunnelError => new(CssmUnreachable, "The proxy could not reach CSSM",
                $"proxy {proxy} refused a tunnel to {target.GetLeftPart(UriPartial.Authority)}{(http.StatusCode is { } s ? $" (HTTP {(int)s})" : "")}: check the URL and that the proxy may reach it"),
            HttpRequestError.SecureConnectionError => Tls(route, target, http),
            HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError when proxy is not null => new(ProxyUnreachable, "The proxy cannot be reached",
                $"proxy {proxy} could not be reached: {Innermost(http)}; check the proxy host and port"),
            HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError => new(CssmUnreachable, "CSSM cannot be reached",
                $"{target.GetLeftPart(UriPartial.Authority)} could not be reached directly: {Innermost(http)}; check the URL, or whether this data centre needs a proxy"),
            _ when Find<AuthenticationException>(http) is not null => Tls(route, target, http),
            _ => new(CssmUnreachable, "CSSM cannot be reached", $"{target.GetLeftPart(UriPartial.Authority)} {route.Describe()}: {Innermost(http)}"),
        };
    }

    private static RouteFailure ProxyAuthentication(CssmRoute route) => new(ProxyAuthenticationRequired, "The proxy refused its credentials",
        route.Proxy?.User is null
            ? $"proxy {route.Proxy} requires authentication (HTTP 407): enter its user and password"
            : $"proxy {route.Proxy} refused user {route.Proxy.User} (HTTP 407): check the proxy user and password");

    private static RouteFailure Tls(CssmRoute route, Uri target, HttpRequestException http) => new(TlsFailed, "The TLS connection to CSSM failed",
        $"TLS with {target.GetLeftPart(UriPartial.Authority)} {route.Describe()} failed: {Innermost(http)}; check the URL and whether the proxy intercepts TLS");

    private static T? Find<T>(Exception? exception)
        where T : Exception
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is T found)
            {
                return found;
            }
        }

        return null;
    }

    private static string Innermost(Exception exception)
    {
        while (exception.InnerException is not null)
        {
            exception = exception.InnerException;
        }

        return exception.Message;
    }
}
