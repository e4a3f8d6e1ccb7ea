namespace HcsLicensing.TestBed;

/// <summary>
/// The RabbitMQ broker and PostgreSQL server a test run uses, whichever way they were obtained.
/// Start one per test assembly (from a SetUpFixture) and dispose it when the assembly is done.
/// </summary>
public sealed class TestServers : IAsyncDisposable
{
    private readonly IAsyncDisposable[] _owned;

    private TestServers(string source, RabbitMqEndpoint rabbitMq, PostgresServer postgres, params IAsyncDisposable[] owned)
    {
        Source = source;
        RabbitMq = rabbitMq;
        Postgres = postgres;
        _owned = owned;
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

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in _owned)
        {
            await owned.DisposeAsync();
        }
    }
}
