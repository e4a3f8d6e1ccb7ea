using System.Net;
using HcsLicensing.ServiceDefaults.Database;
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

namespace HcsLicensing.ServiceDefaults.Tests.Health;

/// <summary>What every service answers over HTTP thanks to the defaults: probes and problem details.</summary>
public class ServiceDefaultsHttpTests
{
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

        var ready = await http.GetAsync(new Uri("/health/ready", UriKind.Relative));
        var live = await http.GetAsync(new Uri("/health/live", UriKind.Relative));

        Assert.Multiple(async () =>
        {
            Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await ready.Content.ReadAsStringAsync(), Is.EqualTo("Healthy"));
            Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK));
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

        Assert.Multiple(() =>
        {
            Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), "not ready without its database");
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

    private async Task<HttpClient> StartService(TestServers servers, string database)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Database"] = database,
            ["ConnectionStrings:RabbitMq"] = servers.RabbitMq.AmqpUri.ToString(),
            ["Messaging:EndpointPrefix"] = ServiceHost.NewPrefix("http") + "-",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.AddServiceDefaults("ServiceDefaultsTest");
        builder.AddServiceDatabase<TestDbContext>();
        builder.AddServiceBus<TestDbContext>(_ => { });
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
