using HcsLicensing.SmartAccountSync.Transport;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Refit;

namespace HcsLicensing.SmartAccountSync.Cssm;

/// <summary>
/// The Refit clients of the token endpoint and swapi, each behind the resilience pipeline; swapi with bearer tokens;
/// both sent along the saved transport route (<see cref="CssmRoutingHandler"/>).
/// </summary>
public static class CssmClientRegistration
{
    public static IServiceCollection AddCssmClients(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(CssmOptions.Section);
        services.Configure<CssmOptions>(section);
        var options = section.Get<CssmOptions>() ?? new CssmOptions();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<BearerTokenCache>();
        services.AddTransient<BearerTokenHandler>();

        services.AddSingleton<CssmRouteSource>();
        services.AddSingleton<CssmRouteHandlers>();
        services.AddTransient<CssmRoutingHandler>();

        // The clients' own handlers only route: the connections live in CssmRouteHandlers, one pool per route, so the
        // factory's handler rotation has nothing to recycle.
        services.AddRefitGeneratedClient<ICssmTokenApi>(CssmJsonContext.Default)
            .ConfigureHttpClient(http => http.BaseAddress = CssmRoutingHandler.TokenEndpoint)
            .ConfigurePrimaryHttpMessageHandler<CssmRoutingHandler>()
            .AddStandardResilienceHandler(resilience => Configure(resilience, options));

        // Handlers run outermost first: resilience (retries, breaker, timeouts) wraps the bearer handler, so each
        // attempt carries a token and a 401 is settled inside one attempt.
        var swapi = services.AddRefitGeneratedClient<ISwapiApi>(CssmJsonContext.Default)
            .ConfigureHttpClient(http => http.BaseAddress = CssmRoutingHandler.SwapiEndpoint)
            .ConfigurePrimaryHttpMessageHandler<CssmRoutingHandler>();
        swapi.AddStandardResilienceHandler(resilience =>
        {
            Configure(resilience, options);
            // A POST creates a token: retried blindly after a lost answer it would create a second one. The token
            // issuer looks its token up in CSSM's list instead, then tries again. The license report and the product
            // instance search are POSTs that only read, retried like the GETs.
            var shouldRetry = resilience.Retry.ShouldHandle;
            resilience.Retry.ShouldHandle = async args =>
                await shouldRetry(args) && IsSafeToRepeat(args.Outcome.Result?.RequestMessage ?? args.Context.GetRequestMessage());
        });
        swapi.AddHttpMessageHandler<BearerTokenHandler>();
        return services;
    }

    private static bool IsSafeToRepeat(HttpRequestMessage? request) =>
        request is not null && (request.Method == HttpMethod.Get || request.Method == HttpMethod.Head
            || (request.Method == HttpMethod.Post && request.RequestUri?.AbsolutePath is { } path
                && (path.EndsWith("/licenses", StringComparison.Ordinal) || path.EndsWith("/devices", StringComparison.Ordinal))));

    private static void Configure(HttpStandardResilienceOptions resilience, CssmOptions options)
    {
        resilience.AttemptTimeout.Timeout = options.AttemptTimeout;
        resilience.TotalRequestTimeout.Timeout = options.TotalTimeout;
        // 408, 429, 5xx and connection failures; Retry-After (429, 503) sets the wait when CSSM gives one.
        resilience.Retry.MaxRetryAttempts = options.MaxRetries;
        resilience.Retry.Delay = options.RetryDelay;
        resilience.Retry.BackoffType = DelayBackoffType.Exponential;
        resilience.Retry.UseJitter = true;
        resilience.Retry.ShouldRetryAfterHeader = true;
        resilience.CircuitBreaker.FailureRatio = options.BreakerFailureRatio;
        resilience.CircuitBreaker.MinimumThroughput = 10;
        resilience.CircuitBreaker.BreakDuration = options.BreakDuration;
        // The options' validation wants the sampling window at least twice an attempt's timeout.
        resilience.CircuitBreaker.SamplingDuration = options.AttemptTimeout * 2;
    }
}
