using System.Net;
using HcsLicensing.ServiceDefaults.Database;
using HcsLicensing.ServiceDefaults.Health;
using HcsLicensing.ServiceDefaults.Messaging;
using HcsLicensing.ServiceDefaults.Tests.Support;
using HcsLicensing.TestBed;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HcsLicensing.ServiceDefaults.Tests.Health;

/// <summary>What every service answers over HTTP thanks to the defaults: probes and problem details.</summary>
public class ServiceDefaultsHttpTests
{
    private const string PostgresCheck = "postgresql";
    private const string BusCheck = "masstransit-bus";
    private const string BrokerCheck = "rabbitmq";

    private WebApplication? _app;

    [TearDown]
    public async Task StopService()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    [Test]
    public async Task Ready_reports_RabbitMQ_and_PostgreSQL_and_live_answers_alone()
    {
        var servers = await SharedTestServers.GetAsync();
        using var http = await StartService(servers, await ServiceHost.CreateDatabaseAsync(servers));

        var ready = await Eventually.Poll(() => http.GetAsync(new Uri("/health/ready", UriKind.Relative)), r => r.StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(30));
        var live = await http.GetAsync(new Uri("/health/live", UriKind.Relative));
        var checks = await ReadyChecksAsync();

        Assert.Multiple(async () =>
        {
            Assert.That(checks.Keys, Is.EquivalentTo(new[] { PostgresCheck, BusCheck, BrokerCheck }), "readiness checks PostgreSQL, MassTransit's bus and the broker itself, nothing less");
            Assert.That(checks.Values, Is.All.EqualTo(HealthStatus.Healthy));
            Assert.That(await ready.Content.ReadAsStringAsync(), Is.EqualTo("Healthy"));
            Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }

    [Test]
    public async Task Ready_fails_when_RabbitMQ_is_gone_while_live_still_answers()
    {
        var servers = await SharedTestServers.GetAsync();
        // A broker of its own, to stop without disturbing the other tests.
        var rabbit = await LocalRabbitMq.StartAsync(CancellationToken.None);
        HttpResponseMessage ready;
        HttpResponseMessage live;
        IReadOnlyDictionary<string, HealthStatus> checks;
        var stopped = false;
        try
        {
            using var http = await StartService(servers, await ServiceHost.CreateDatabaseAsync(servers), rabbit.Endpoint.AmqpUri);
            await Eventually.Poll(() => http.GetAsync(new Uri("/health/ready", UriKind.Relative)), r => r.StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(30));
            await rabbit.DisposeAsync();
            stopped = true;

            ready = await Eventually.Poll(() => http.GetAsync(new Uri("/health/ready", UriKind.Relative)), r => r.StatusCode == HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(60));
            live = await http.GetAsync(new Uri("/health/live", UriKind.Relative));
            checks = await ReadyChecksAsync();
        }
        finally
        {
            if (!stopped)
            {
                await rabbit.DisposeAsync();
            }
        }

        Assert.Multiple(() =>
        {
            Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), "not ready without its broker");
            // MassTransit's own bus check stays Healthy while its endpoints wait to reconnect; the broker check sees it.
            Assert.That(checks[BrokerCheck], Is.EqualTo(HealthStatus.Unhealthy), "the broker check is the one failing");
            Assert.That(checks[PostgresCheck], Is.EqualTo(HealthStatus.Healthy));
            Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK), "yet alive: a restart would not bring the broker back");
        });
    }

    [Test]
    public async Task Ready_fails_when_the_database_is_gone_while_live_still_answers()
    {
        var servers = await SharedTestServers.GetAsync();
        var database = await ServiceHost.CreateDatabaseAsync(servers);
        using var http = await StartService(servers, database);
        await DropDatabaseAsync(servers, database);

        var ready = await http.GetAsync(new Uri("/health/ready", UriKind.Relative));
        var live = await http.GetAsync(new Uri("/health/live", UriKind.Relative));
        var checks = await ReadyChecksAsync();

        Assert.Multiple(() =>
        {
            Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), "not ready without its database");
            Assert.That(checks[PostgresCheck], Is.EqualTo(HealthStatus.Unhealthy), "the PostgreSQL check is the one failing");
            Assert.That(checks[BusCheck], Is.EqualTo(HealthStatus.Healthy));
            Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK), "yet alive: a restart would not bring the database back");
        });
    }

    [Test]
    public async Task An_unknown_path_gets_RFC_9457_problem_details()
    {
        var servers = await SharedTestServers.GetAsync();
        using var http = await StartService(servers, await ServiceHost.CreateDatabaseAsync(servers));

        var response = await http.GetAsync(new Uri("/no-such-thing", UriKind.Relative));

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("\"status\":404"));
        });
    }

    /// <summary>The readiness checks the service runs, by name, and what each reports now.</summary>
    private async Task<IReadOnlyDictionary<string, HealthStatus>> ReadyChecksAsync()
    {
        var report = await _app!.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(check => check.Tags.Contains(HealthExtensions.ReadyTag));
        return report.Entries.ToDictionary(e => e.Key, e => e.Value.Status);
    }

    private async Task<HttpClient> StartService(TestServers servers, string database, Uri? rabbitMq = null)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Database"] = database,
            ["ConnectionStrings:RabbitMq"] = (rabbitMq ?? servers.RabbitMq.AmqpUri).ToString(),
            ["Messaging:EndpointPrefix"] = ServiceHost.NewPrefix("http") + "-",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.AddServiceDefaults("ServiceDefaultsTest");
        builder.AddServiceDatabase<TestDbContext>();
        // A consumer, as every service has: its receive endpoint is what notices the broker is gone.
        builder.Services.AddSingleton<Recorder<HealthProbePing>>();
        builder.AddServiceBus<TestDbContext>(bus => bus.AddConsumer<RecordingConsumer<HealthProbePing>>());
        _app = builder.Build();
        _app.MapServiceDefaults();
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new HttpClient { BaseAddress = new Uri(address) };
    }

    private static async Task DropDatabaseAsync(TestServers servers, string connectionString)
    {
        var name = new Npgsql.NpgsqlConnectionStringBuilder(connectionString).Database;
        Npgsql.NpgsqlConnection.ClearAllPools();
        await using var admin = new Npgsql.NpgsqlConnection(servers.Postgres.AdminConnectionString);
        await admin.OpenAsync();
        await using var drop = new Npgsql.NpgsqlCommand($"DROP DATABASE \"{name}\" WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }
}

/// <summary>The message of the consumer the probe tests' service has.</summary>
public sealed record HealthProbePing;
