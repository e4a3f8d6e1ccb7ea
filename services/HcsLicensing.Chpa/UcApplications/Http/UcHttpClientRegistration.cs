using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Telemetry;

namespace HcsLicensing.Chpa.UcApplications.Http;

/// <summary>The HttpClient CHPA reaches publishers with, and its resilience pipeline.</summary>
public static class UcHttpClientRegistration
{
    public const string ClientName = "uc-applications";

    public static IHostApplicationBuilder AddUcApplicationClient(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<UcClientOptions>(builder.Configuration.GetSection(UcClientOptions.Section));
        builder.Services.AddSingleton<IUcApplicationClient, HttpUcApplicationClient>();
        // Publishers restart after every register and answer 503 meanwhile, which CHPA expects and waits out: Polly's
        // events for it are not warnings, let alone failures. Each request's outcome is CHPA's own log line.
        builder.Services.Configure<TelemetryOptions>(telemetry => telemetry.SeverityProvider = args => args.Event.EventName switch
        {
            "ExecutionAttempt" or "OnRetry" => ResilienceEventSeverity.Debug,
            _ => args.Event.Severity > ResilienceEventSeverity.Information ? ResilienceEventSeverity.Information : args.Event.Severity,
        });
        builder.Services.AddHttpClient(ClientName, http => http.Timeout = Timeout.InfiniteTimeSpan)
            .AddResilienceHandler("uc-application", (pipeline, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<UcClientOptions>>().Value;
                pipeline.AddTimeout(options.TotalTimeout);
                var retry = new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = options.RetryAttempts,
                    Delay = options.RetryDelay,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    // A restarting publisher answers 503 with Retry-After; honouring it would stretch one call past its
                    // total timeout. Long waits belong to the registration's scheduled polls, not to a call.
                    ShouldRetryAfterHeader = false,
                };
                // A register whose answer was lost may have restarted the publisher already: it is never re-sent
                // blindly (the caller reads the status instead). Reads and the idempotent PUTs are retried.
                retry.DisableFor(HttpMethod.Post);
                pipeline.AddRetry(retry);
                pipeline.AddTimeout(options.AttemptTimeout);
                // No circuit breaker: this one client serves thousands of publishers, and one unreachable cluster must
                // not open a breaker for all of them.
            });
        return builder;
    }
}
