using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace HcsLicensing.ServiceDefaults.Security;

/// <summary>
/// Per-caller rate limits on every change, applied to all endpoints at once so that none can be forgotten: endpoints
/// that test a credential (<see cref="TestsCredentials{TBuilder}"/>: a CSSM client secret, UC passwords) get a tight
/// token bucket, every other write a moderate one, reads none. A refusal is 429 with Retry-After and a problem.
/// Buckets are per caller (the token's subject) and per process; settings under RateLimits:Credentials / RateLimits:Writes.
/// </summary>
public static class CallerRateLimits
{
    public const string Section = "RateLimits";

    /// <summary>The endpoint checks a credential against another system: a guessing oracle, so tightly limited.</summary>
    public static TBuilder TestsCredentials<TBuilder>(this TBuilder endpoints)
        where TBuilder : IEndpointConventionBuilder =>
        endpoints.WithMetadata(new CredentialTestingMetadata());

    internal static IServiceCollection AddCallerRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        // Tight: ten attempts, then one every six seconds. Moderate: bursts of 200, then 20 a second.
        var credentials = Bucket(configuration.GetSection($"{Section}:Credentials"), tokenLimit: 10, perPeriod: 1, TimeSpan.FromSeconds(6));
        var writes = Bucket(configuration.GetSection($"{Section}:Writes"), tokenLimit: 200, perPeriod: 20, TimeSpan.FromSeconds(1));
        return services.AddRateLimiter(limits =>
        {
            limits.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method) || HttpMethods.IsOptions(context.Request.Method))
                {
                    return RateLimitPartition.GetNoLimiter("reads");
                }

                var caller = CallerIdentity.Of(context.User) ?? context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
                return context.GetEndpoint()?.Metadata.GetMetadata<CredentialTestingMetadata>() is not null
                    ? RateLimitPartition.GetTokenBucketLimiter("credentials:" + caller, _ => credentials)
                    : RateLimitPartition.GetTokenBucketLimiter("writes:" + caller, _ => writes);
            });
            limits.OnRejected = RejectAsync;
        });
    }

    private static TokenBucketRateLimiterOptions Bucket(IConfiguration section, int tokenLimit, int perPeriod, TimeSpan period)
    {
        var options = new TokenBucketRateLimiterOptions { TokenLimit = tokenLimit, TokensPerPeriod = perPeriod, ReplenishmentPeriod = period, QueueLimit = 0, AutoReplenishment = true };
        section.Bind(options);
        return options;
    }

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status429TooManyRequests,
            Title = "Too many requests",
            Detail = $"this caller sent too many changes; try again in {seconds} s",
        };
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
    }

    private sealed class CredentialTestingMetadata;
}
