namespace HcsLicensing.TestBed;

/// <summary>
/// The RabbitMQ broker and PostgreSQL server a test run uses, whichever way they were obtained.
/// Start one per test assembly (from a SetUpFixture) and dispose it when the assembly is done.
/// </summary>
public sealed class TestServers : IAsyncDisposable
{
    private readonly IAsyncDisposable[] _owned;
    private readonly LocalRabbitMq? _localRabbitMq;
    private readonly LocalPostgres? _localPostgres;

    private TestServers(string source, RabbitMqEndpoint rabbitMq, PostgresServer postgres, params IAsyncDisposable[] owned)
    {
        Source = source;
        RabbitMq = rabbitMq;
        Postgres = postgres;
        _owned = owned;
        _localRabbitMq = owned.OfType<LocalRabbitMq>().SingleOrDefault();
        _localPostgres = owned.OfType<LocalPostgres>().SingleOrDefault();
    }

    /// <summary>How the servers were obtained: "environment", "containers" or "local".</summary>
    public string Source { get; }

    public RabbitMqEndpoint RabbitMq { get; }

    public PostgresServer Postgres { get; }

    /// <summary>
    /// Servers in this order of preference: those named by HCS_TEST_RABBITMQ and HCS_TEST_POSTGRES,
    /// containers when a Docker engine answers, else throwaway local servers started from the OS packages.
    /// </summary>
    public static async Task<TestServers> StartAsync(CancellationToken cancellationToken = default)
    {
        var rabbitFromEnv = Environment.GetEnvironmentVariable("HCS_TEST_RABBITMQ");
        var postgresFromEnv = Environment.GetEnvironmentVariable("HCS_TEST_POSTGRES");
        if (!string.IsNullOrWhiteSpace(rabbitFromEnv) && !string.IsNullOrWhiteSpace(postgresFromEnv))
        {
            return new TestServers("environment", RabbitMqEndpoint.Parse(rabbitFromEnv), new PostgresServer(postgresFromEnv));
        }

        if (await ContainerServers.DockerAnswersAsync(cancellationToken))
        {
            var containers = await ContainerServers.StartAsync(cancellationToken);
            return new TestServers("containers", containers.RabbitMq, containers.Postgres, containers);
        }

        var rabbit = await LocalRabbitMq.StartAsync(cancellationToken);
        try
        {
            var postgres = await LocalPostgres.StartAsync(cancellationToken);
            return new TestServers("local", rabbit.Endpoint, postgres.Server, postgres, rabbit);
        }
        catch
        {
            await rabbit.DisposeAsync();
            throw;
        }
    }

    /// <summary>True when both servers are local ones this process started, which it can stop and start again.</summary>
    public bool CanStopServers => _localRabbitMq is not null && _localPostgres is not null;

    /// <summary>Stops the local RabbitMQ node, keeping its data (durable queues and persistent messages survive); see <see cref="CanStopServers"/>.</summary>
    public Task StopRabbitMqAsync() => LocalRabbitMqOrThrow().StopAsync();

    /// <summary>Starts the node stopped by <see cref="StopRabbitMqAsync"/> again: same node, port and data; returns once it accepts connections.</summary>
    public Task StartRabbitMqAsync(CancellationToken cancellationToken = default) => LocalRabbitMqOrThrow().StartAgainAsync(cancellationToken);

    /// <summary>Stops the local PostgreSQL server (fast shutdown), keeping its data; see <see cref="CanStopServers"/>.</summary>
    public Task StopPostgresAsync() => LocalPostgresOrThrow().StopAsync();

    /// <summary>Starts the server stopped by <see cref="StopPostgresAsync"/> again: same port and data; returns once it accepts connections.</summary>
    public Task StartPostgresAsync(CancellationToken cancellationToken = default) => LocalPostgresOrThrow().StartAgainAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in _owned)
        {
            await owned.DisposeAsync();
        }
    }

    private LocalRabbitMq LocalRabbitMqOrThrow() =>
        _localRabbitMq ?? throw new NotSupportedException($"the RabbitMQ node is not a local one this process started ({Source} servers): it cannot be stopped and started");

    private LocalPostgres LocalPostgresOrThrow() =>
        _localPostgres ?? throw new NotSupportedException($"the PostgreSQL server is not a local one this process started ({Source} servers): it cannot be stopped and started");
}
