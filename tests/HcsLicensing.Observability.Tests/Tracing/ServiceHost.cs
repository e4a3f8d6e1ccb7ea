using Microsoft.AspNetCore.Hosting;
using HcsLicensing.TestBed.Security;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Trace;

namespace HcsLicensing.Observability.Tests.Tracing;

/// <summary>
/// One service in this process (WebApplicationFactory over its Program, on an in-memory TestServer: the services call
/// each other only through RabbitMQ, and over HTTP only the simulators), with ServiceDefaults' telemetry as deployed
/// plus OpenTelemetry's in-memory exporter on its tracer provider, writing to the shared <see cref="SpanStore"/>.
/// </summary>
public sealed class ServiceHost : IAsyncDisposable
{
    private readonly IAsyncDisposable factory;

    private ServiceHost(string name, IAsyncDisposable factory, IServiceProvider services, HttpClient http, ConsoleLineCapture logs)
    {
        Name = name;
        this.factory = factory;
        Services = services;
        Http = http;
        Logs = logs;
    }

    /// <summary>The service name, as it passes it to AddServiceDefaults (its OpenTelemetry service.name).</summary>
    public string Name { get; }

    public IServiceProvider Services { get; }

    /// <summary>Requests to the service, entering it as that service's code (see <see cref="ServiceAttribution"/>).</summary>
    public HttpClient Http { get; }

    /// <summary>What the service logged, as its console lines.</summary>
    public ConsoleLineCapture Logs { get; }

    /// <summary>
    /// Starts <typeparamref name="TEntryPoint"/>'s host with <paramref name="settings"/> (host configuration, seen by Program's
    /// top-level code); <see cref="Http"/> sends a token of <paramref name="issuer"/> with every permission.
    /// </summary>
    public static ServiceHost Start<TEntryPoint>(string name, IReadOnlyDictionary<string, string?> settings, SpanStore spans, TestIssuer issuer, Action<IServiceCollection>? configure = null)
        where TEntryPoint : class
    {
        var logs = new ConsoleLineCapture(name);
        var factory = new WebApplicationFactory<TEntryPoint>().WithWebHostBuilder(web =>
        {
            foreach (var (key, value) in settings)
            {
                web.UseSetting(key, value);
            }

            // Console lines into memory, not into the test run's output.
            web.ConfigureLogging(logging =>
            {
                logging.ClearProviders();
                logging.AddProvider(logs);
            });
            web.ConfigureTestServices(services =>
            {
                services.ConfigureOpenTelemetryTracerProvider(tracing => tracing
                    .AddProcessor(new ServiceAttribution.Marker())
                    .AddInMemoryExporter(spans.For(name)));
                configure?.Invoke(services);
            });
        });

        try
        {
            using (ServiceAttribution.Enter(name))
            {
                // Builds and starts the host (migrations, the bus, hosted services) inside the service's scope.
                var server = factory.Server;
                // Test requests run in the caller's execution context, which AttributingHandler sets to the service.
                server.PreserveExecutionContext = true;
            }

            var http = factory.CreateDefaultClient(new AttributingHandler(name), issuer.CreateHandler());
            http.Timeout = TimeSpan.FromSeconds(60);
            return new ServiceHost(name, factory, factory.Services, http, logs);
        }
        catch
        {
            factory.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await factory.DisposeAsync();
    }
}
