using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace HcsLicensing.ServiceDefaults.Telemetry;

/// <summary>Traces, metrics and logs of a service, one trace across services for every message chain.</summary>
public static class TelemetryExtensions
{
    /// <summary>The ActivitySource and Meter name MassTransit reports under.</summary>
    public const string MassTransitSource = "MassTransit";

    /// <summary>
    /// OpenTelemetry for ASP.NET Core, HttpClient, Npgsql and MassTransit, plus <paramref name="serviceSources"/>
    /// (the service's own ActivitySource and Meter names). Exported over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set.
    /// </summary>
    public static IHostApplicationBuilder AddServiceTelemetry(this IHostApplicationBuilder builder, string serviceName, params string[] serviceSources)
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(options =>
                    // Probes every few seconds would bury the traces an operator looks for.
                    options.Filter = context => !context.Request.Path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase))
                .AddHttpClientInstrumentation()
                .AddNpgsql()
                .AddSource(MassTransitSource, Scheduling.ScheduledMessageDispatcher<Microsoft.EntityFrameworkCore.DbContext>.ActivitySourceName)
                .AddSource(serviceSources))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(MassTransitSource, "Npgsql")
                .AddMeter(serviceSources));

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.UseOtlpExporter();
        }

        return builder;
    }
}
