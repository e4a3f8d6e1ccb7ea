using HcsLicensing.SmartAccountSync.Transport;

namespace HcsLicensing.SmartAccountSync.Cssm;

/// <summary>
/// The Refit clients' primary handler. Their base addresses are placeholders (<see cref="TokenEndpoint"/>,
/// <see cref="SwapiEndpoint"/>); each request is sent to the saved route's URL, over that route's pooled handler. The
/// route is the smart account's (named by the credentials a request carries), else the default one, read from the
/// database at most <see cref="CssmOptions.TransportRefresh"/> ago: a save on any replica takes effect on every one.
/// </summary>
public sealed class CssmRoutingHandler(CssmRouteSource routes, CssmRouteHandlers handlers, ILogger<CssmRoutingHandler> logger) : HttpMessageHandler
{
    /// <summary>The token client's base address; ".invalid" never resolves, so an unrouted call fails loudly.</summary>
    public static readonly Uri TokenEndpoint = new("https://cssm-token.invalid/");

    /// <summary>The swapi client's base address (no trailing '/': Refit appends each method's path).</summary>
    public static readonly Uri SwapiEndpoint = new("https://cssm-swapi.invalid");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ((IDictionary<string, object?>)request.Options).TryGetValue(ISwapiApi.CredentialsOption, out var value);
        var route = await routes.GetAsync((value as CssmCredentials)?.SmartAccountDomain, cancellationToken);
        request.RequestUri = Resolve(request.RequestUri!, route);
        logger.LogDebug("CSSM call {Method} {Url} {Route}", request.Method, request.RequestUri.GetLeftPart(UriPartial.Path), route.Describe());
        return await SendAsync(handlers, route, request, cancellationToken);
    }

    /// <summary>
    /// Sends <paramref name="request"/> over the route's pooled handler. A proxy that refuses the credentials it was
    /// given may say so with 401 and a page of its own instead of 407 (tinyproxy does): through a proxy, a 401 that
    /// is not CSSM's (CSSM's are JSON) is taken for the proxy's 407, so that it is reported as the proxy's.
    /// </summary>
    public static async Task<HttpResponseMessage> SendAsync(CssmRouteHandlers handlers, CssmRoute route, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await handlers.For(route.Proxy).SendAsync(request, cancellationToken);
        if (route.Proxy is not null && response.StatusCode == System.Net.HttpStatusCode.Unauthorized
            && response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.OrdinalIgnoreCase) != true)
        {
            response.StatusCode = System.Net.HttpStatusCode.ProxyAuthenticationRequired;
            response.ReasonPhrase = "Proxy Authentication Required (the proxy answered 401)";
        }

        return response;
    }

    /// <summary>A placeholder URL made real with the route's URLs; a URL already real (a retry's) stays as it is.</summary>
    public static Uri Resolve(Uri placeholder, CssmRoute route)
    {
        if (placeholder.Host == TokenEndpoint.Host)
        {
            return route.TokenUrl;
        }

        return placeholder.Host == SwapiEndpoint.Host
            ? new Uri(route.SwapiBaseUrl.ToString().TrimEnd('/') + placeholder.PathAndQuery)
            : placeholder;
    }
}
