using HcsLicensing.ServiceDefaults.ErrorQueues;
using HcsLicensing.ServiceDefaults.Health;
using HcsLicensing.ServiceDefaults.Http;
using HcsLicensing.ServiceDefaults.Security;
using HcsLicensing.ServiceDefaults.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace HcsLicensing.ServiceDefaults;

/// <summary>What every HcsLicensing service has, in two calls: one on the builder, one on the app.</summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>Telemetry (traces, metrics, logs; OTLP when configured), health checks, RFC 9457 problem details.</summary>
    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder, string serviceName, params string[] serviceSources)
    {
        builder.AddServiceTelemetry(serviceName, serviceSources);
        ErrorQueueCommand.QuietLoggingIfRequested(builder); // `errors ...` on the command line: its output alone on stdout
        builder.Services.AddHealthChecks();
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<OutageProblemHandler>();
        builder.Services.AddInputProblems(); // unreadable input: 400 naming the field
        // State machines and consumers take the clock from DI, so that tests can move it.
        builder.Services.TryAddSingleton(TimeProvider.System);
        return builder;
    }

    /// <summary>
    /// Problem details for unhandled errors and bare status codes, the /health/live and /health/ready probes (open to
    /// anyone), and, if the service called AddServiceApiSecurity, authentication and authorization for everything else,
    /// and for a service with a bus its error queues' admin API (/admin/error-queues, hcs.admin).
    /// </summary>
    public static WebApplication MapServiceDefaults(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseServiceApiSecurity();
        app.MapServiceHealth();
        if (app.Services.HasApiSecurity() && app.Services.GetService<ErrorQueueBroker>() is not null)
        {
            app.MapErrorQueueApi();
        }

        return app;
    }
}
