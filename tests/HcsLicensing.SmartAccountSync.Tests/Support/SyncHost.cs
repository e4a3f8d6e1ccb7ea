using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HcsLicensing.ServiceDefaults.Http;
using HcsLicensing.SmartAccountSync.SmartAccounts;
using HcsLicensing.SmartAccountSync.VirtualAccounts;
using HcsLicensing.TestBed;
using HcsLicensing.TestBed.Security;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HcsLicensing.SmartAccountSync.Tests.Support;

/// <summary>
/// A test's world: the CSSM simulator, the real SmartAccountSync (its Program on Kestrel, real HTTP) on the test bed's
/// RabbitMQ and a fresh PostgreSQL database, an observer bus, and the service's log lines. Queue names carry a prefix
/// of the test's own.
/// </summary>
internal sealed class SyncHost : IAsyncDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly WebApplicationFactory<Program> _factory;
    private string? _tlsDirectory;

    private SyncHost(WebApplicationFactory<Program> factory, Simulator cssm, BusObserver bus, LogCapture logs, string database, TestIssuer issuer)
    {
        _factory = factory;
        Cssm = cssm;
        Bus = bus;
        Logs = logs;
        Database = database;
        // The Kestrel server's address (CreateClient knows it), with a token of every permission on each request.
        using var plain = factory.CreateClient();
        var bearer = issuer.CreateHandler();
        bearer.InnerHandler = new SocketsHttpHandler();
        Http = new HttpClient(bearer) { BaseAddress = plain.BaseAddress };
    }

    public Simulator Cssm { get; }

    public BusObserver Bus { get; }

    public LogCapture Logs { get; }

    public string Database { get; }

    public HttpClient Http { get; }

    /// <summary>The service's own services, for a test that plays one of its instances.</summary>
    public IServiceProvider Services => _factory.Services;

    /// <summary>
    /// Starts the test's world; with <paramref name="cssmTls"/> the simulator serves HTTPS with a certificate of a
    /// throwaway CA, which the service is configured to trust (Cssm:CaCertificatePath).
    /// </summary>
    public static async Task<SyncHost> StartAsync(
        int virtualAccounts = 1285, int tokenLifetimeSeconds = 3599, IDictionary<string, string>? settings = null, TimeProvider? clock = null, bool cssmTls = false)
    {
        var servers = await SharedTestServers.GetAsync();
        var tlsDirectory = cssmTls ? Directory.CreateTempSubdirectory("hcs-cssm-tls-").FullName : null;
        var tls = tlsDirectory is null ? null : await SimulatorTls.CreateAsync(tlsDirectory);
        var cssm = await Simulator.StartAsync(virtualAccounts, tokenLifetimeSeconds, tls: tls);
        var database = await servers.Postgres.CreateDatabaseAsync("sas");
        var prefix = $"sas-{Guid.NewGuid().ToString("N")[..6]}-";
        var logs = new LogCapture();
        var issuer = await SharedTestIssuer.GetAsync();
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            // A free port of its own: tests (and other test assemblies) run services side by side.
            web.UseUrls("http://127.0.0.1:0");
            web.UseSetting("ConnectionStrings:Database", database)
                .UseSetting("ConnectionStrings:RabbitMq", servers.RabbitMq.AmqpUri.ToString())
                .UseSetting("Messaging:EndpointPrefix", prefix)
                .UseSetting("Cssm:TokenUrl", cssm.TokenUrl.ToString())
                .UseSetting("Cssm:SwapiBaseUrl", cssm.SwapiBaseUrl.ToString())
                .UseSetting("Cssm:RetryDelay", "00:00:00.100")
                .UseSetting("Cssm:CaCertificatePath", tls?.AuthorityPath ?? "")
                .UseSetting("Sync:Period", "00:00:00")
                .UseSetting("Logging:LogLevel:Default", "Debug")
                .UseSetting("Logging:LogLevel:Microsoft.EntityFrameworkCore", "Information");
            foreach (var (key, value) in issuer.ServiceSettings)
            {
                web.UseSetting(key, value);
            }

            foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            {
                web.UseSetting(key, value);
            }

            if (clock is not null)
            {
                web.ConfigureTestServices(services => services.AddSingleton(clock));
            }

            // Only the capture: the console at Debug would bury the test run's output.
            web.ConfigureLogging(logging => logging.ClearProviders().AddProvider(logs));
        });
        factory.UseKestrel();
        factory.StartServer();
        var bus = await BusObserver.StartAsync(servers.RabbitMq.AmqpUri, prefix);
        return new SyncHost(factory, cssm, bus, logs, database, issuer) { _tlsDirectory = tlsDirectory };
    }

    public Task<HttpResponseMessage> ConfigureAsync(string domain, string clientId, string secret) =>
        Http.PostAsJsonAsync(new Uri("/smart-accounts", UriKind.Relative), new { domain, clientId, clientSecret = secret });

    /// <summary>Configures HCS-DEMO with the right credentials and waits for the sync it starts to complete.</summary>
    public async Task<SmartAccountConfiguredDto> ConfigureDemoAndWaitAsync()
    {
        using var response = await ConfigureAsync(Simulator.Domain, Simulator.ClientId, Cssm.Secret);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var configured = (await response.Content.ReadFromJsonAsync<SmartAccountConfiguredDto>(Json))!;
        await WaitForSyncAsync(configured.SyncJobId);
        return configured;
    }

    /// <summary>Polls GET /syncs/{jobId} until the sync ended; returns it.</summary>
    public async Task<SyncDto> WaitForSyncAsync(Guid jobId, TimeSpan? timeout = null)
    {
        var sync = await Eventually.Poll(() => GetAsync<SyncDto>($"/syncs/{jobId}"), s => s is not null && s.Status != "Running", timeout ?? TimeSpan.FromSeconds(60));
        Assert.That(sync?.Status, Is.Not.Null.And.Not.EqualTo("Running"), $"sync {jobId} did not end in time");
        return sync!;
    }

    public async Task<T?> GetAsync<T>(string path)
    {
        using var response = await Http.GetAsync(new Uri(path, UriKind.Relative));
        return response.StatusCode == HttpStatusCode.NotFound ? default : await response.Content.ReadFromJsonAsync<T>(Json);
    }

    public async Task<PageDto<VirtualAccountDto>> VirtualAccountsAsync(string query = "") =>
        (await GetAsync<PageDto<VirtualAccountDto>>($"/virtual-accounts?{query}"))!;

    public async Task<SyncRequestedDto> RequestSyncAsync(Guid smartAccountId)
    {
        using var response = await Http.PostAsync(new Uri($"/smart-accounts/{smartAccountId}/sync", UriKind.Relative), null);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        return (await response.Content.ReadFromJsonAsync<SyncRequestedDto>(Json))!;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Bus.DisposeAsync();
        await _factory.DisposeAsync();
        await Cssm.DisposeAsync();
        if (_tlsDirectory is not null)
        {
            Directory.Delete(_tlsDirectory, recursive: true);
        }
    }
}
