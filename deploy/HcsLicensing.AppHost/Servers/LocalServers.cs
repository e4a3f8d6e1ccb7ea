using System.Globalization;

namespace HcsLicensing.AppHost.Servers;

/// <summary>
/// RabbitMQ and PostgreSQL from the OS packages as Aspire executables (for machines without a Docker engine), each run
/// by a small script in scripts/ with its data in a temporary directory of its own, on ports no system server uses.
/// </summary>
public sealed class LocalServers : IServers
{
    private readonly IResourceBuilder<ExecutableResource> _rabbitMq;
    private readonly IResourceBuilder<ExecutableResource> _postgres;
    private readonly int _amqpPort;
    private readonly int _postgresPort;
    private readonly List<string> _databases;
    private readonly LocalServerDirectories _directories;

    private LocalServers(
        IResourceBuilder<ExecutableResource> rabbitMq, IResourceBuilder<ExecutableResource> postgres, int amqpPort, int postgresPort,
        List<string> databases, LocalServerDirectories directories)
    {
        _directories = directories;
        _rabbitMq = rabbitMq;
        _postgres = postgres;
        _amqpPort = amqpPort;
        _postgresPort = postgresPort;
        _databases = databases;
    }

    /// <exception cref="MissingServerException">rabbitmq-server, epmd or PostgreSQL is not installed.</exception>
    public static LocalServers Add(IDistributedApplicationBuilder builder, SuitePorts ports)
    {
        var tools = LocalServerTools.Find();
        LocalServerDirectories.RemoveStale();
        var directories = LocalServerDirectories.Create();

        var scripts = Path.Combine(builder.AppHostDirectory, "scripts");
        var amqpPort = ports.For(Names.RabbitMq);
        var distPort = ports.For("rabbitmq-dist");
        var epmdPort = ports.For("rabbitmq-epmd");
        var postgresPort = ports.For(Names.Postgres);

        builder.Services.AddHealthChecks()
            .AddCheck("rabbitmq-ready", new TcpReadyCheck(amqpPort, readyFile: null))
            .AddCheck("postgres-ready", new TcpReadyCheck(postgresPort, Path.Combine(directories.Postgres, "ready")));

        var rabbitMq = builder.AddExecutable(
                Names.RabbitMq, "bash", directories.RabbitMq,
                Path.Combine(scripts, "rabbitmq.sh"), directories.RabbitMq, Text(amqpPort), Text(distPort), Text(epmdPort))
            .WithEndpoint(port: amqpPort, targetPort: amqpPort, scheme: "amqp", name: "amqp", isProxied: false)
            .WithHealthCheck("rabbitmq-ready");

        // The databases are known only once every service is connected, so the arguments are read at start.
        var databases = new List<string>();
        var postgres = builder.AddExecutable(Names.Postgres, "bash", directories.Postgres, Path.Combine(scripts, "postgres.sh"))
            .WithArgs(context =>
            {
                context.Args.Add(tools.PostgresBin);
                context.Args.Add(directories.Postgres);
                context.Args.Add(Text(postgresPort));
                foreach (var database in databases)
                {
                    context.Args.Add(database);
                }
            })
            .WithEndpoint(port: postgresPort, targetPort: postgresPort, scheme: "tcp", name: "tcp", isProxied: false)
            .WithHealthCheck("postgres-ready");

        return new LocalServers(rabbitMq, postgres, amqpPort, postgresPort, databases, directories);
    }

    public void Connect(IResourceBuilder<ProjectResource> service, string database)
    {
        _databases.Add(database);
        service
            .WithEnvironment("ConnectionStrings__RabbitMq", $"amqp://guest:guest@127.0.0.1:{Text(_amqpPort)}/")
            .WithEnvironment("ConnectionStrings__Database", $"Host=127.0.0.1;Port={Text(_postgresPort)};Database={database};Username=postgres")
            .WaitFor(_rabbitMq)
            .WaitFor(_postgres);
    }

    public IReadOnlyList<(string Name, string Address)> Describe() =>
    [
        ("RabbitMQ", $"amqp://guest:guest@127.0.0.1:{Text(_amqpPort)}/"),
        ("PostgreSQL", $"Host=127.0.0.1;Port={Text(_postgresPort)};Username=postgres (databases {string.Join(", ", _databases)})"),
    ];

    /// <summary>
    /// SIGTERM to each server's script (PostgreSQL: fast shutdown; RabbitMQ: clean stop, then its private epmd; then
    /// the data directory is removed), and a wait until both scripts have exited. The orchestrator would end an
    /// executable's whole process tree at once, giving neither server time to shut down.
    /// </summary>
    public async Task<IReadOnlyList<string>> StopAsync(TimeSpan grace)
    {
        var scripts = _directories.All
            .Select(d => (Name: d == _directories.RabbitMq ? Names.RabbitMq : Names.Postgres, Pid: LocalServerDirectories.RunningScript(d)))
            .Where(s => s.Pid is not null)
            .ToList();
        foreach (var (_, pid) in scripts)
        {
            Processes.Signal(pid!.Value, "TERM");
        }

        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (scripts.Any(s => Processes.IsRunning(s.Pid!.Value)) && watch.Elapsed < grace)
        {
            await Task.Delay(100, CancellationToken.None);
        }

        return [.. scripts.Where(s => Processes.IsRunning(s.Pid!.Value)).Select(s => s.Name)];
    }

    private static string Text(int port) => port.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Where the OS packages' programs are; what is missing is named with the package that brings it.</summary>
internal sealed record LocalServerTools(string PostgresBin)
{
    public static LocalServerTools Find()
    {
        var missing = new List<string>();
        if (!File.Exists("/usr/lib/rabbitmq/bin/rabbitmq-server"))
        {
            missing.Add("RabbitMQ is not installed: apt-get install -y rabbitmq-server");
        }
        else if (!OnPath("epmd"))
        {
            missing.Add("Erlang's epmd is not on PATH: apt-get install -y erlang-base");
        }

        string[] versions = ["17", "16", "15"];
        var postgresBin = versions.Select(v => $"/usr/lib/postgresql/{v}/bin").FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")));
        if (postgresBin is null)
        {
            missing.Add("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): apt-get install -y postgresql");
        }

        if (Environment.UserName == "root")
        {
            // initdb and postgres refuse root; the script runs them as the postgres user through setpriv.
            if (!OnPath("setpriv"))
            {
                missing.Add("setpriv is not on PATH: apt-get install -y util-linux");
            }

            if (postgresBin is not null && !File.ReadLines("/etc/passwd").Any(line => line.StartsWith("postgres:", StringComparison.Ordinal)))
            {
                missing.Add("there is no 'postgres' user to run PostgreSQL as (it refuses root): apt-get install -y postgresql creates it");
            }
        }

        if (missing.Count > 0)
        {
            throw new MissingServerException(
                $"no Docker engine answers, so RabbitMQ and PostgreSQL run as local servers, and{Environment.NewLine}  - "
                + string.Join($"{Environment.NewLine}  - ", missing)
                + $"{Environment.NewLine}Install what is named (as root), or start a Docker engine to run both as containers.");
        }

        return new LocalServerTools(postgresBin!);
    }

    private static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(directory => File.Exists(Path.Combine(directory, program)));
}
