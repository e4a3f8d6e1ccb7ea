using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace HcsLicensing.Identity.Endpoints;

/// <summary>
/// The minimal login in front of the authorization endpoint: a form checked against Identity:Operators, then a cookie.
/// Enough for a console to be built against; not a user store (see docs/security.md for what a real one adds).
/// </summary>
internal static class LoginEndpoint
{
    public const string Path = "/account/login";

    public static IEndpointRouteBuilder MapLoginEndpoint(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Path, (string? returnUrl) => Form(returnUrl, failed: false));
        endpoints.MapPost(Path, SignIn);
        return endpoints;
    }

    private static async Task<IResult> SignIn(HttpContext http, IOptions<IssuerOptions> options, ILoggerFactory loggers)
    {
        var form = await http.Request.ReadFormAsync();
        var userName = form["userName"].ToString();
        var returnUrl = form["returnUrl"].ToString();
        var found = options.Value.Operators.FirstOrDefault(o => string.Equals(o.UserName, userName, StringComparison.Ordinal));
        if (found is null || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(found.Password), Encoding.UTF8.GetBytes(form["password"].ToString())))
        {
            loggers.CreateLogger("HcsLicensing.Audit").LogWarning("Login refused for {UserName}", userName);
            return Form(returnUrl, failed: true);
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, found.UserName)], CookieAuthenticationDefaults.AuthenticationScheme);
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
        // Only back into this issuer (the authorize request): never an open redirect.
        return Results.LocalRedirect(IsLocal(returnUrl) ? returnUrl : "/");
    }

    private static bool IsLocal(string url) => url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal);

    private static IResult Form(string? returnUrl, bool failed)
    {
        var back = HtmlEncoder.Default.Encode(returnUrl ?? "/");
        var error = failed ? "<p>Unknown user name or wrong password.</p>" : "";
        return Results.Content(
            $"""
            <!doctype html><html><head><title>HcsLicensing sign-in</title></head><body>
            <h1>HcsLicensing</h1>{error}
            <form method="post" action="{Path}"><input type="hidden" name="returnUrl" value="{back}">
            <label>User name <input name="userName" autocomplete="username"></label>
            <label>Password <input name="password" type="password" autocomplete="current-password"></label>
            <button type="submit">Sign in</button></form></body></html>
            """,
            "text/html");
    }
}
