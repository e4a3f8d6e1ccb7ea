using System.Diagnostics;

namespace HcsLicensing.AppHost.Servers;

/// <summary>RabbitMQ and PostgreSQL as containers (Aspire's own resources), where a Docker engine answers.</summary>
public sealed class ContainerServers : IServers
{
    private readonly IResourceBuilder<RabbitMQServerResource> _rabbitMq;
    private readonly IResourceBuilder<PostgresServerResource> _postgres;

    private readonly int _amqpPort;
    private readonly int _postgresPort;

    private ContainerServers(IResourceBuilder<RabbitMQServerResource> rabbitMq, IResourceBuilder<PostgresServerResource> postgres, int amqpPort, int postgresPort)
    {
        _rabbitMq = rabbitMq;
        _postgres = postgres;
        _amqpPort = amqpPort;
        _postgresPort = postgresPort;
    }

    /// <summary>
    /// True when `docker info` succeeds and HCS_RUN_LOCAL_SERVERS is not 1. On our CI machines `docker` exists but no
    /// engine runs, so `docker info` fails and the local servers are used.
    /// </summary>
    public static bool ShouldUse(IConfiguration configuration)
    {
        if (configuration["HCS_RUN_LOCAL_SERVERS"] == "1")
        {
            return false;
        }

        try
        {
            using var docker = Process.Start(new ProcessStartInfo("docker", "info")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (docker is null)
            {
                return false;
            }

            // Read both streams so that a long answer cannot block the process before it exits.
            var output = docker.StandardOutput.ReadToEndAsync();
            var error = docker.StandardError.ReadToEndAsync();
            if (!docker.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                docker.Kill();
                return false;
            }

            Task.WaitAll(output, error);
            return docker.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // no docker command at all
        }
    }

    public static ContainerServers Add(IDistributedApplicationBuilder builder, SuitePorts ports)
    {
        Console.WriteLine("A Docker engine answers: RabbitMQ and PostgreSQL run as containers (HCS_RUN_LOCAL_SERVERS=1 runs local servers instead).");
        // No volumes: like the local servers, every run starts empty and leaves nothing behind.
        var amqpPort = ports.For(Names.RabbitMq);
        var postgresPort = ports.For(Names.Postgres);
        var rabbitMq = builder.AddRabbitMQ(Names.RabbitMq, port: amqpPort);
        var postgres = builder.AddPostgres(Names.Postgres, port: postgresPort);
        return new ContainerServers(rabbitMq, postgres, amqpPort, postgresPort);
    }

    public void Connect(IResourceBuilder<ProjectResource> service, string database)
    {
        // AddDatabase creates the database when the server is up; WaitFor(database) waits for that.
        var db = _postgres.AddDatabase($"{service.Resource.Name}-db", database);
        service.WithReference(_rabbitMq, "RabbitMq").WithReference(db, "Database").WaitFor(_rabbitMq).WaitFor(db);
    }

    public IReadOnlyList<(string Name, string Address)> Describe() =>
    [
        ("RabbitMQ", $"amqp://localhost:{_amqpPort} (container; user guest, its password in the dashboard's rabbitmq resource)"),
        ("PostgreSQL", $"localhost:{_postgresPort} (container; user postgres, its password in the dashboard's postgres resource)"),
    ];

    /// <summary>The orchestrator stops and removes the containers (no volumes: nothing is left).</summary>
    public Task<IReadOnlyList<string>> StopAsync(TimeSpan grace) => Task.FromResult<IReadOnlyList<string>>([]);
}
