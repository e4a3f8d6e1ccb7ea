using System.Globalization;
using HcsLicensing.ServiceDefaults.Security;
using HcsLicensing.TestBed.Suite;
using Npgsql;

namespace HcsLicensing.TestBed.Security;

/// <summary>
/// The suite's real OpenID Connect issuer (services/HcsLicensing.Identity) as a process of its own, for tests that host
/// a service in-process (WebApplicationFactory): its own database and key directory, one confidential client allowed
/// every permission. <see cref="ServiceSettings"/> is what a service needs to trust it; <see cref="Tokens"/> hands out tokens.
/// </summary>
public sealed class TestIssuer : IAsyncDisposable
{
    /// <summary>The audience of the suite's tokens, and every service's Authentication:Audience.</summary>
    public const string Audience = "hcs-api";

    public const string ClientId = "hcs-tests";

    private readonly SuiteProcess _process;
    private readonly TestServers _servers;
    private readonly string _database;

    private TestIssuer(SuiteProcess process, TestServers servers, string database, string keyDirectory, string clientSecret)
    {
        _process = process;
        _servers = servers;
        _database = database;
        KeyDirectory = keyDirectory;
        Tokens = new IssuerTokens(() => _process.Address, ClientId, clientSecret);
    }

    /// <summary>The issuer's URL: the services' Authentication:Authority.</summary>
    public Uri Authority => _process.Address;

    /// <summary>Where the issuer keeps its signing certificate (IssuerCertificates.SigningFile), e.g. for a test that must sign as it.</summary>
    public string KeyDirectory { get; }

    public IssuerTokens Tokens { get; }

    /// <summary>Configuration keys (with ':') that make a service trust this issuer over plain http on the loopback (and lift the rate limits).</summary>
    public IReadOnlyDictionary<string, string> ServiceSettings => new Dictionary<string, string>
    {
        ["Authentication:Authority"] = Authority.ToString(),
        ["Authentication:Audience"] = Audience,
        ["Authentication:RequireHttpsMetadata"] = "false",
        // Tests add clusters and assignments by the hundred as one caller: buckets no test fills.
        ["RateLimits:Credentials:TokenLimit"] = "100000",
        ["RateLimits:Writes:TokenLimit"] = "100000",
    };

    /// <summary><see cref="ServiceSettings"/> as environment variables ("__" for ":"), for a service started as a process.</summary>
    public IReadOnlyDictionary<string, string> ServiceEnvironment =>
        ServiceSettings.ToDictionary(pair => pair.Key.Replace(":", "__", StringComparison.Ordinal), pair => pair.Value);

    /// <summary>A handler sending a token of all three permissions (or those given): for factory.CreateDefaultClient(handler).</summary>
    public DelegatingHandler CreateHandler(params IEnumerable<string> permissions) =>
        permissions.Any() ? Tokens.CreateHandler(permissions) : Tokens.CreateHandler();

    /// <summary>
    /// The environment of an issuer process: its database, key directory, plain http allowed, and one client per
    /// <paramref name="clients"/> entry (id, secret) allowed every permission.
    /// </summary>
    internal static Dictionary<string, string> Environment(string database, string keyDirectory, IEnumerable<(string Id, string Secret)> clients)
    {
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Database"] = database,
            ["Identity__AllowHttp"] = "true",
            ["Identity__Audience"] = Audience,
            ["Identity__SigningKeys__Path"] = keyDirectory,
        };
        var index = 0;
        foreach (var (id, secret) in clients)
        {
            var prefix = $"Identity__Clients__{index.ToString(CultureInfo.InvariantCulture)}__";
            environment[prefix + "ClientId"] = id;
            environment[prefix + "ClientSecret"] = secret;
            for (var i = 0; i < HcsPermissions.All.Count; i++)
            {
                environment[prefix + "Scopes__" + i.ToString(CultureInfo.InvariantCulture)] = HcsPermissions.All[i];
            }

            index++;
        }

        return environment;
    }

    /// <summary>Starts an issuer on the test bed's PostgreSQL (a new database) and waits until it is ready.</summary>
    public static async Task<TestIssuer> StartAsync(TestServers servers, SuiteOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= SuiteOptions.Fast;
        var id = Guid.NewGuid().ToString("N")[..6];
        var database = await servers.Postgres.CreateDatabaseAsync($"issuer_{id}", cancellationToken);
        var keys = Path.Combine(Path.GetTempPath(), $"hcs-issuer-{id}");
        var secret = Guid.NewGuid().ToString("N");
        var assembly = await SuiteBuilds.AssemblyPathAsync(SuiteService.Identity, options);
        var process = new SuiteProcess(SuiteService.Identity, assembly, "health/ready", SuitePorts.Next(), Environment(database, keys, [(ClientId, secret)]));
        var issuer = new TestIssuer(process, servers, database, keys, secret);
        try
        {
            await process.StartAsync(options.ReadyTimeout, TimeSpan.FromSeconds(2), mayMove: true, cancellationToken);
        }
        catch
        {
            await issuer.DisposeAsync();
            throw;
        }

        return issuer;
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        Tokens.Dispose();
        if (Directory.Exists(KeyDirectory))
        {
            Directory.Delete(KeyDirectory, recursive: true);
        }

        await using var connection = new NpgsqlConnection(_servers.Postgres.AdminConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{new NpgsqlConnectionStringBuilder(_database).Database}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}

/// <summary>One <see cref="TestIssuer"/> per test assembly, started on first use and stopped with the <see cref="SharedTestServers"/>.</summary>
public static class SharedTestIssuer
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static TestIssuer? _issuer;

    public static async Task<TestIssuer> GetAsync()
    {
        await Gate.WaitAsync();
        try
        {
            return _issuer ??= await TestIssuer.StartAsync(await SharedTestServers.GetAsync());
        }
        finally
        {
            Gate.Release();
        }
    }

    internal static async Task StopAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_issuer is not null)
            {
                await _issuer.DisposeAsync();
                _issuer = null;
            }
        }
        finally
        {
            Gate.Release();
        }
    }
}
