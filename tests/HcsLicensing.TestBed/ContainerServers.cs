using System.Diagnostics;
using Testcontainers.PostgreSql;
using Testcontainers.RabbitMq;

namespace HcsLicensing.TestBed;

/// <summary>RabbitMQ and PostgreSQL in throwaway containers, where a Docker engine runs (laptops, GitHub runners).</summary>
internal sealed class ContainerServers : IAsyncDisposable
{
    private readonly RabbitMqContainer _rabbitMq;
    private readonly PostgreSqlContainer _postgres;

    private ContainerServers(RabbitMqContainer rabbitMq, PostgreSqlContainer postgres)
    {
        _rabbitMq = rabbitMq;
        _postgres = postgres;
    }

    public RabbitMqEndpoint RabbitMq => RabbitMqEndpoint.Parse(_rabbitMq.GetConnectionString());

    public PostgresServer Postgres => new(_postgres.GetConnectionString());

    /// <summary>True when `docker info` reaches an engine; a client without an engine (as on our CI machines) is false.</summary>
    public static async Task<bool> DockerAnswersAsync(CancellationToken cancellationToken)
    {
        if (Environment.GetEnvironmentVariable("HCS_TEST_NO_CONTAINERS") == "1")
        {
            return false;
        }

        try
        {
            using var docker = Process.Start(new ProcessStartInfo("docker", "info --format {{.ServerVersion}}")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            });
            if (docker is null)
            {
                return false;
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(15));
            await docker.WaitForExitAsync(timeout.Token);
            return docker.ExitCode == 0;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or OperationCanceledException)
        {
            return false;
        }
    }

    public static async Task<ContainerServers> StartAsync(CancellationToken cancellationToken)
    {
        var rabbitMq = new RabbitMqBuilder("rabbitmq:3.13-management").Build();
        var postgres = new PostgreSqlBuilder("postgres:15").Build();
        await Task.WhenAll(rabbitMq.StartAsync(cancellationToken), postgres.StartAsync(cancellationToken));
        return new ContainerServers(rabbitMq, postgres);
    }

    public async ValueTask DisposeAsync()
    {
        await _rabbitMq.DisposeAsync();
        await _postgres.DisposeAsync();
    }
}
