using System.Net.Http.Json;
using HcsLicensing.TestBed;
using HcsLicensing.TestBed.Security;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HcsLicensing.Chpa.Tests.Support;

/// <summary>
/// The real CHPA (its Program, through WebApplicationFactory) on the test bed's RabbitMQ and a PostgreSQL database,
/// reaching the UC simulator; its logs captured at every level. Several instances may run on one database and queue
/// prefix (a restart is: dispose one, start another).
/// </summary>
public sealed class ChpaInstance : IAsyncDisposable
{
    private readonly WebApplicationFactory<Program> _factory;

    private ChpaInstance(WebApplicationFactory<Program> factory, CapturedLogs logs, string database, string prefix, TestIssuer issuer)
    {
        _factory = factory;
        Logs = logs;
        Database = database;
        Prefix = prefix;
        Http = factory.CreateDefaultClient(issuer.CreateHandler());
    }

    public CapturedLogs Logs { get; }

    public string Database { get; }

    /// <summary>The queue prefix ("chpa-ab12cd-"); CHPA's requests go to queue {Prefix}chpa.</summary>
    public string Prefix { get; }

    public Uri ChpaQueue => new($"queue:{Prefix}chpa");

    /// <summary>The inventory API.</summary>
    public HttpClient Http { get; }

    public IServiceProvider Services => _factory.Services;

    public static string NewPrefix() => $"chpa-{Guid.NewGuid().ToString("N")[..6]}-";

    /// <summary>
    /// Starts CHPA with test timings: 1.5 s per publisher attempt and one retry, polls every 0.5 s, a 60 s registration
    /// deadline unless <paramref name="settings"/> says otherwise.
    /// </summary>
    public static async Task<ChpaInstance> StartAsync(TestServers servers, Simulators simulators, string database, string prefix, IDictionary<string, string?>? settings = null)
    {
        var issuer = await SharedTestIssuer.GetAsync();
        var logs = new CapturedLogs();
        var all = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Database"] = database,
            ["ConnectionStrings:RabbitMq"] = servers.RabbitMq.AmqpUri.ToString(),
            ["Messaging:EndpointPrefix"] = prefix,
            ["Outbox:PollInterval"] = "00:00:00.500",
            ["UcApplications:BaseAddressTemplate"] = simulators.PublisherTemplate,
            // The tests' own publishers (ClusterSpec) and the simulator's seeded ones; nothing else receives credentials.
            ["Chpa:AllowedPublisherHosts:0"] = "*.hcs.test",
            ["Chpa:AllowedPublisherHosts:1"] = "*.hcs.example",
            ["UcApplications:AttemptTimeout"] = "00:00:01.500",
            ["UcApplications:TotalTimeout"] = "00:00:05",
            ["UcApplications:RetryAttempts"] = "1",
            ["UcApplications:RetryDelay"] = "00:00:00.100",
            // An unreachable publisher is answered at once here; PublisherOutageTests wait one out.
            ["UcApplications:UnreachableWaitFor"] = "00:00:00",
            ["Registration:PollInterval"] = "00:00:00.500",
            // Under the tests' 60 s request timeout with the sweeper's grace (7 s): should a wait's polls stop (as they did
            // when the outbox dispatcher slept through a row due in under 1 ms), the sweeper still answers it first.
            ["Registration:Deadline"] = "00:00:40",
            ["Registration:SweepInterval"] = "00:00:01",
            // Polls and outbox passes in the captured lines, for a failure to show where a chain stopped.
            ["Logging:LogLevel:HcsLicensing"] = "Debug",
        };
        foreach (var (key, value) in issuer.ServiceSettings)
        {
            all[key] = value;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        // UseSetting goes into the host configuration, which Program's top-level code already sees when it reads
        // the connection strings (ConfigureAppConfiguration would come too late for AddServiceDatabase/AddServiceBus).
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            foreach (var (key, value) in all)
            {
                web.UseSetting(key, value);
            }

            web.ConfigureLogging(logging =>
            {
                // Only the capture: it sees every level, console output at Trace would drown the test run.
                logging.ClearProviders();
                logging.AddProvider(logs);
                logging.SetMinimumLevel(LogLevel.Trace);
            });
        });
        _ = factory.Server; // starts the host: migrations, then the bus
        return new ChpaInstance(factory, logs, database, prefix, issuer);
    }

    /// <summary>Adds the cluster to the inventory (with both credentials), as an operator would.</summary>
    public async Task AddClusterAsync(ClusterSpec cluster)
    {
        using var response = await Http.PostAsJsonAsync(new Uri("/clusters", UriKind.Relative), Body(cluster));
        response.EnsureSuccessStatusCode();
    }

    public static object Body(ClusterSpec cluster) => new
    {
        name = cluster.Name,
        type = cluster.Type,
        version = cluster.Version[..4],
        publisherAddress = cluster.Publisher,
        managementCredentials = new { userName = cluster.ManagementUserName, password = cluster.ManagementPassword },
        platformCredentials = new { userName = cluster.PlatformUserName, password = cluster.PlatformPassword },
    };

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _factory.DisposeAsync();
    }
}
