using HcsLicensing.CssmSimulator.OAuth;

namespace HcsLicensing.CssmSimulator.Swapi;

/// <summary>The bearer check in front of every swapi call, and the per-account permission check behind it.</summary>
public static class SwapiAccess
{
    private const string ClientKey = "cssm.client";

    /// <summary>401 with an OAuth error body and WWW-Authenticate for a missing, unknown, revoked or expired token.</summary>
    public static RouteGroupBuilder RequireBearer(this RouteGroupBuilder group) =>
        group.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var (clientId, error) = http.RequestServices.GetRequiredService<OAuthServer>().Authenticate(http.Request.Headers.Authorization);
            if (clientId is null)
            {
                http.Response.Headers.WWWAuthenticate = $"Bearer error=\"invalid_token\", error_description=\"{error}\"";
                return Results.Json(new OAuthError("invalid_token", error!), statusCode: StatusCodes.Status401Unauthorized);
            }

            http.Items[ClientKey] = clientId;
            return await next(context);
        });

    public static string ClientId(this HttpContext context) => (string)context.Items[ClientKey]!;

    /// <summary>403 unless the calling API client was granted this smart account (unknown domains look the same: no leak).</summary>
    public static IResult? Forbidden(this HttpContext context, string domain) =>
        context.RequestServices.GetRequiredService<OAuthServer>().DomainsOf(context.ClientId()).Contains(domain)
            ? null
            : Results.Json(new StatusResponse("ERROR", $"The API client has no access to smart account {domain}"), statusCode: StatusCodes.Status403Forbidden);

    public static IResult NotFound(string what) =>
        Results.Json(new StatusResponse("ERROR", $"{what} not found"), statusCode: StatusCodes.Status404NotFound);

    public static IResult BadRequest(string message) =>
        Results.Json(new StatusResponse("ERROR", message), statusCode: StatusCodes.Status400BadRequest);

    /// <summary>The statusMessage of an error that has no body of its own.</summary>
    public static string Describe(int status) => status switch
    {
        StatusCodes.Status400BadRequest => "The request body is not valid JSON of the expected shape",
        StatusCodes.Status404NotFound => "No such resource",
        StatusCodes.Status405MethodNotAllowed => "Method not allowed",
        StatusCodes.Status415UnsupportedMediaType => "Content-Type must be application/json",
        _ => $"HTTP {status}",
    };
}
