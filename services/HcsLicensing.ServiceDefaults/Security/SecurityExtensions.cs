using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace HcsLicensing.ServiceDefaults.Security;

/// <summary>
/// Every HTTP API of the suite accepts only JWT bearer tokens of the OpenID Connect provider named by Authentication:Authority
/// (keys from its discovery document), issued for Authentication:Audience, and each endpoint names one of
/// <see cref="HcsPermissions"/>. An endpoint that names none still needs a valid token (the fallback policy).
/// </summary>
public static class SecurityExtensions
{
    /// <summary>Authentication, the permission policies, per-caller rate limits; MapServiceDefaults puts them in the pipeline.</summary>
    public static IHostApplicationBuilder AddServiceApiSecurity(this IHostApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection(ApiSecurityOptions.Section).Get<ApiSecurityOptions>() ?? new ApiSecurityOptions();
        if (string.IsNullOrWhiteSpace(settings.Authority) || string.IsNullOrWhiteSpace(settings.Audience))
        {
            throw new InvalidOperationException(
                $"{ApiSecurityOptions.Section}:Authority and {ApiSecurityOptions.Section}:Audience must name the OpenID Connect provider and the audience of the tokens the API accepts (docs/security.md).");
        }

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(jwt =>
        {
            jwt.Authority = settings.Authority;
            jwt.Audience = settings.Audience;
            jwt.RequireHttpsMetadata = settings.RequireHttpsMetadata;
            // Claims as the token names them (sub, scope, roles), whichever provider issued it.
            jwt.MapInboundClaims = false;
            jwt.TokenValidationParameters.NameClaimType = "sub";
            jwt.TokenValidationParameters.RoleClaimType = "roles";
            jwt.Events = new JwtBearerEvents { OnChallenge = SecurityProblems.ChallengeAsync };
        });

        var authorization = builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        foreach (var permission in HcsPermissions.All)
        {
            authorization.AddPolicy(permission, policy => policy.RequireAuthenticatedUser().AddRequirements(new PermissionRequirement(permission)));
        }

        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, PermissionProblemResultHandler>();
        builder.Services.AddCallerRateLimits(builder.Configuration);
        builder.Services.AddSingleton<ApiSecurityMarker>();
        return builder;
    }

    /// <summary>The endpoint needs the permission (one of <see cref="HcsPermissions"/>).</summary>
    public static TBuilder RequirePermission<TBuilder>(this TBuilder endpoints, string permission)
        where TBuilder : IEndpointConventionBuilder =>
        endpoints.RequireAuthorization(permission);

    /// <summary>Authentication, the caller's identity in every log line, authorization, per-caller rate limits; only if the service asked for API security.</summary>
    internal static WebApplication UseServiceApiSecurity(this WebApplication app)
    {
        if (app.Services.GetService<ApiSecurityMarker>() is null)
        {
            return app;
        }

        app.UseAuthentication();
        app.UseMiddleware<CallerAudit>();
        app.UseAuthorization();
        app.UseRateLimiter(); // after authorization: limits count the caller's accepted requests only
        return app;
    }

    /// <summary>Whether the service called AddServiceApiSecurity (only then are admin endpoints mapped).</summary>
    internal static bool HasApiSecurity(this IServiceProvider services) => services.GetService<ApiSecurityMarker>() is not null;

    private sealed class ApiSecurityMarker;
}
