using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace HcsLicensing.Identity.Endpoints;

/// <summary>
/// GET/POST /connect/authorize for the operator console (authorization code + PKCE, which OpenIddict enforces): a signed-in
/// operator gets a code for the scopes asked that they hold; anyone else is sent to the login page first.
/// </summary>
internal static class AuthorizeEndpoint
{
    public static IEndpointRouteBuilder MapAuthorizeEndpoint(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods("/connect/authorize", [HttpMethods.Get, HttpMethods.Post], Authorize);
        return endpoints;
    }

    private static async Task<IResult> Authorize(HttpContext http, IOptions<IssuerOptions> options)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("not an OpenID Connect request");
        var login = await http.AuthenticateAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        var user = login.Principal?.Identity?.Name;
        var found = options.Value.Operators.FirstOrDefault(o => string.Equals(o.UserName, user, StringComparison.Ordinal));
        if (!login.Succeeded || found is null)
        {
            return Results.Challenge(
                new AuthenticationProperties { RedirectUri = http.Request.PathBase + http.Request.Path + http.Request.QueryString },
                [CookieAuthenticationDefaults.AuthenticationScheme]);
        }

        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, found.UserName).SetClaim(Claims.Name, found.UserName);
        // The operator's permissions travel as roles; the scopes granted are those asked for that the operator holds.
        identity.SetClaims(Claims.Role, [.. found.Permissions]);
        identity.SetScopes(request.GetScopes().Where(scope => scope == Scopes.OpenId || found.Permissions.Contains(scope)));
        identity.SetResources(options.Value.Audience);
        identity.SetDestinations(claim => claim.Type is Claims.Name or Claims.Subject ? [Destinations.AccessToken, Destinations.IdentityToken] : [Destinations.AccessToken]);
        return Results.SignIn(new ClaimsPrincipal(identity), properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }
}
