using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace HcsLicensing.ServiceDefaults.Security;

/// <summary>401 and 403 as RFC 9457 problems, so that a refused caller reads why, as for any other refusal.</summary>
internal static class SecurityProblems
{
    /// <summary>JwtBearer's challenge: the WWW-Authenticate header RFC 6750 asks for, and a problem body saying what was wrong.</summary>
    public static async Task ChallengeAsync(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        var (error, detail) = context.AuthenticateFailure switch
        {
            null => (null, "a bearer token is required (Authorization: Bearer <token>)"),
            SecurityTokenExpiredException => ("invalid_token", "the token has expired"),
            SecurityTokenInvalidAudienceException => ("invalid_token", "the token was issued for another audience"),
            SecurityTokenInvalidIssuerException => ("invalid_token", "the token was issued by another issuer"),
            SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => ("invalid_token", "the token's signature is not the issuer's"),
            _ => ("invalid_token", "the token is not valid"),
        };
        var response = context.Response;
        response.StatusCode = StatusCodes.Status401Unauthorized;
        response.Headers.WWWAuthenticate = error is null ? "Bearer" : $"Bearer error=\"{error}\", error_description=\"{detail}\"";
        await WriteAsync(context.HttpContext, StatusCodes.Status401Unauthorized, "Authentication required", detail);
    }

    /// <summary>A 403 naming the permission the token lacks.</summary>
    public static Task ForbiddenAsync(HttpContext context, IEnumerable<string> missing)
    {
        var names = string.Join(", ", missing);
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        return WriteAsync(context, StatusCodes.Status403Forbidden, "Permission required", $"the token lacks the permission {names} (as a scope or a role)", names);
    }

    private static async Task WriteAsync(HttpContext context, int status, string title, string detail, string? permission = null)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        if (permission is not null)
        {
            problem.Extensions["missingPermission"] = permission;
        }

        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
    }
}

/// <summary>Turns a failed permission check into the 403 problem above; everything else as ASP.NET Core does it.</summary>
internal sealed class PermissionProblemResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden && context.User.Identity?.IsAuthenticated == true)
        {
            var missing = authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<PermissionRequirement>().Select(r => r.Permission).ToList();
            return SecurityProblems.ForbiddenAsync(context, missing is { Count: > 0 } ? missing : ["(none named)"]);
        }

        return _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
