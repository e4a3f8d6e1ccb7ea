using System.Text;

namespace HcsLicensing.CssmSimulator.OAuth;

/// <summary>
/// The OAuth 2.0 client-credentials grant as Cisco's cloud SSO answers it: a form POST with grant_type, client_id and
/// client_secret (or HTTP Basic), a JSON token, and RFC 6749 error bodies (400 for a malformed request, 401 invalid_client).
/// </summary>
public static class TokenEndpoint
{
    public static void Map(IEndpointRouteBuilder endpoints, IEnumerable<string> paths)
    {
        foreach (var path in paths)
        {
            endpoints.MapPost(path, IssueAsync).DisableAntiforgery();
        }
    }

    private static async Task<IResult> IssueAsync(HttpContext context, OAuthServer oauth)
    {
        // Tokens and their errors must never be cached by a proxy (RFC 6749 5.1).
        context.Response.Headers.CacheControl = "no-store";
        if (!context.Request.HasFormContentType)
        {
            return Error(StatusCodes.Status400BadRequest, "invalid_request", "Content-Type must be application/x-www-form-urlencoded");
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        if (!string.Equals(form["grant_type"], "client_credentials", StringComparison.Ordinal))
        {
            return Error(StatusCodes.Status400BadRequest, "unsupported_grant_type", "grant_type must be client_credentials");
        }

        var (clientId, secret) = BasicCredentials(context.Request.Headers.Authorization) ?? (form["client_id"].ToString(), form["client_secret"].ToString());
        if (string.IsNullOrEmpty(clientId) || string.IsNullOrEmpty(secret))
        {
            return Error(StatusCodes.Status400BadRequest, "invalid_request", "client_id and client_secret are required");
        }

        var (token, error) = oauth.Issue(clientId, secret);
        if (token is null)
        {
            return Error(StatusCodes.Status401Unauthorized, "invalid_client", error!);
        }

        return Results.Json(new TokenResponse(token.Token, "Bearer", oauth.TokenLifetimeSeconds));
    }

    private static (string, string)? BasicCredentials(string? authorization)
    {
        if (authorization is null || !authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        try
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(authorization[6..].Trim())).Split(':', 2);
            return pair.Length == 2 ? (Uri.UnescapeDataString(pair[0]), Uri.UnescapeDataString(pair[1])) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static IResult Error(int status, string error, string description) =>
        Results.Json(new OAuthError(error, description), statusCode: status);
}
