using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
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
    /// The Meter of job metrics (JobTracker's JobMetrics: started, succeeded, failed, canceled, in flight, durations).
    /// Registered for every service: only JobTracker creates it, and a service that does not simply has none to export.
    /// </summary>
    public const string JobsMeter = "HcsLicensing.Jobs";

    /// <summary>
    /// OpenTelemetry for ASP.NET Core, HttpClient, Npgsql and MassTransit, plus <paramref name="serviceSources"/>
    /// (the service's own ActivitySource and Meter names). Exported over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set.
    /// </summary>
    public static IHostApplicationBuilder AddServiceTelemetry(this IHostApplicationBuilder builder, string serviceName, params string[] serviceSources)
    {
        // OTLP log records take the trace and span id of Activity.Current by themselves; the console needs telling.
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });
        builder.AddTraceIdInConsoleLogs();

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddServiceIdentity(builder.Configuration, serviceName))
            .WithTracing(tracing => tracing
                // First, so that it runs before any exporter's processor (OTLP here, in-memory in tests).
                .AddProcessor(new UnparentedSqlFilter())
                .AddAspNetCoreInstrumentation(options =>
                    // Probes every few seconds would bury the traces an operator looks for.
                    options.Filter = context => !context.Request.Path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase))
                .AddHttpClientInstrumentation()
                .AddNpgsql()
                .AddSource(MassTransitSource, Outbox.OutboxDispatcher<Microsoft.EntityFrameworkCore.DbContext>.ActivitySourceName)
                .AddSource(serviceSources))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(MassTransitSource, "Npgsql", JobsMeter, ErrorQueues.ErrorQueueDepthGauge.MeterName, Retention.RetentionPruner<Microsoft.EntityFrameworkCore.DbContext>.MeterName)
                .AddMeter(Outbox.OutboxDispatcher<Microsoft.EntityFrameworkCore.DbContext>.ActivitySourceName)
                .AddMeter(serviceSources));

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>
    /// service.name is the service's own name unless OTEL_SERVICE_NAME gives one, and service.instance.id is generated
    /// unless OTEL_RESOURCE_ATTRIBUTES gives one: an orchestrator that names its resources (Aspire sets both) then finds
    /// the service's telemetry under the resource it started, instead of under "JobTracker-&lt;guid&gt;" beside it. The
    /// SDK's default resource already reads both variables; AddService would override them.
    /// </summary>
    private static ResourceBuilder AddServiceIdentity(this ResourceBuilder resource, IConfiguration configuration, string serviceName)
    {
        var name = configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } given ? given : serviceName;
        var instanceGiven = (configuration["OTEL_RESOURCE_ATTRIBUTES"] ?? "")
            .Split(',')
            .Any(attribute => attribute.Trim().StartsWith("service.instance.id=", StringComparison.Ordinal));
        return resource.AddService(name, autoGenerateServiceInstanceId: !instanceGiven);
    }

    /// <summary>
    /// Console lines carry the trace id (<see cref="TraceConsoleFormatter"/>) unless Logging:Console:FormatterName picks
    /// another format; scopes carry TraceId and SpanId too, for the JSON format and any provider that prints scopes.
    /// </summary>
    private static void AddTraceIdInConsoleLogs(this IHostApplicationBuilder builder)
    {
        builder.Logging.Configure(options =>
            options.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);
        builder.Logging.AddConsoleFormatter<TraceConsoleFormatter, ConsoleFormatterOptions>();
        if (string.IsNullOrWhiteSpace(builder.Configuration["Logging:Console:FormatterName"]))
        {
            builder.Services.Configure<ConsoleLoggerOptions>(options => options.FormatterName = TraceConsoleFormatter.FormatterName);
        }
    }
}
