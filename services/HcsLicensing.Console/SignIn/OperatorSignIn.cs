using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace HcsLicensing.Console.SignIn;

/// <summary>
/// The operator signs in at the suite's issuer (authorization code + PKCE, a public client) and holds a cookie session
/// here. The access token goes into that session as a claim, so that both the static pages (the request) and the
/// interactive ones (the circuit, which sees only the signed-in user) can call the services with it. The operator's
/// permissions are the roles the access token carries (hcs.read, hcs.operate, hcs.admin).
/// </summary>
public static class OperatorSignIn
{
    /// <summary>The claim holding the operator's access token for the services' APIs.</summary>
    public const string AccessTokenClaim = "hcs_access_token";

    public const string RoleClaim = "role";
    public const string NameClaim = "name";

    public static WebApplicationBuilder AddOperatorSignIn(this WebApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection("Authentication");
        builder.Services.AddAuthentication(options =>
            {
                options.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                options.DefaultChallengeScheme = OpenIdConnectDefaults.AuthenticationScheme;
            })
            .AddCookie(cookie =>
            {
                // Its own name: on one host (localhost) the issuer's login cookie would otherwise take the same one.
                cookie.Cookie.Name = ".HcsConsole";
                cookie.Cookie.SameSite = SameSiteMode.Lax;
                cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                cookie.AccessDeniedPath = "/signed-out";
            })
            .AddOpenIdConnect(oidc =>
            {
                oidc.Authority = settings["Authority"];
                oidc.ClientId = settings["ClientId"] ?? "hcs-console";
                oidc.RequireHttpsMetadata = settings.GetValue("RequireHttpsMetadata", true);
                oidc.ResponseType = OpenIdConnectResponseType.Code;
                oidc.UsePkce = true;
                // The code comes back in the query (a top-level GET), so the correlation cookies can be SameSite=Lax
                // and need no https: form_post would need SameSite=None, which browsers allow only on https.
                oidc.ResponseMode = OpenIdConnectResponseMode.Query;
                oidc.CorrelationCookie.SameSite = SameSiteMode.Lax;
                oidc.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                oidc.NonceCookie.SameSite = SameSiteMode.Lax;
                oidc.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                oidc.Scope.Clear();
                oidc.Scope.Add(OpenIdConnectScope.OpenId);
                // Asked for all three; the issuer grants those the operator holds.
                foreach (var permission in HcsLicensing.ServiceDefaults.Security.HcsPermissions.All)
                {
                    oidc.Scope.Add(permission);
                }

                oidc.MapInboundClaims = false;
                oidc.GetClaimsFromUserInfoEndpoint = false;
                oidc.SaveTokens = false; // kept as a claim instead (above)
                oidc.UseTokenLifetime = true; // the session ends with the access token
                oidc.TokenValidationParameters.NameClaimType = NameClaim;
                oidc.TokenValidationParameters.RoleClaimType = RoleClaim;
                // Where the browser reaches the issuer, when it is not where the console does (Compose, Kubernetes: the
                // console fetches metadata and redeems the code at http://identity:8080/, the browser signs in through a
                // published port or an Ingress). Only the browser's redirect changes; the tokens still name the issuer.
                if (settings["BrowserAuthority"] is { Length: > 0 } browserAuthority && oidc.Authority is { Length: > 0 } authority)
                {
                    oidc.Events.OnRedirectToIdentityProvider = context =>
                    {
                        context.ProtocolMessage.IssuerAddress = Rebase(context.ProtocolMessage.IssuerAddress, authority, browserAuthority);
                        return Task.CompletedTask;
                    };
                }

                oidc.Events.OnTokenValidated = context =>
                {
                    if (context.Principal?.Identity is ClaimsIdentity identity && context.TokenEndpointResponse?.AccessToken is { Length: > 0 } accessToken)
                    {
                        identity.AddClaim(new Claim(AccessTokenClaim, accessToken));
                        identity.AddClaims(PermissionsOf(accessToken).Select(role => new Claim(RoleClaim, role)));
                    }

                    return Task.CompletedTask;
                };
            });
        builder.Services.AddAuthorization();
        builder.Services.AddCascadingAuthenticationState();
        return builder;
    }

    /// <summary>/signin (back to a local page) and /signout (ends this console's session; the issuer's stays).</summary>
    public static WebApplication MapOperatorSignIn(this WebApplication app)
    {
        app.MapGet("/signin", (string? returnUrl) => Results.Challenge(
            new AuthenticationProperties { RedirectUri = IsLocal(returnUrl) ? returnUrl : "/" },
            [OpenIdConnectDefaults.AuthenticationScheme]));
        app.MapPost("/signout", async (HttpContext http, IAntiforgery antiforgery) =>
        {
            // The form carries the antiforgery token: another site cannot sign the operator out.
            await antiforgery.ValidateRequestAsync(http);
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.LocalRedirect("/signed-out");
        });
        return app;
    }

    /// <summary>The hcs.* roles of an access token (a JWT the console does not validate: the services do, on every call).</summary>
    public static IReadOnlyList<string> PermissionsOf(string accessToken)
    {
        var handler = new JsonWebTokenHandler();
        if (!handler.CanReadToken(accessToken))
        {
            return [];
        }

        var token = handler.ReadJsonWebToken(accessToken);
        return [.. token.Claims.Where(c => c.Type is "role" or "roles").Select(c => c.Value).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>The issuer's <paramref name="address"/> with its base <paramref name="from"/> replaced by <paramref name="to"/>.</summary>
    public static string Rebase(string address, string from, string to)
    {
        var prefix = from.TrimEnd('/');
        return address.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? to.TrimEnd('/') + address[prefix.Length..] : address;
    }

    private static bool IsLocal(string? url) =>
        url is { Length: > 0 } && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal);
}
