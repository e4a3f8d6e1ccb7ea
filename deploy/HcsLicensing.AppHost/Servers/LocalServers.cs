using System.Globalization;

namespace HcsLicensing.AppHost.Servers;

/// <summary>
/// RabbitMQ and PostgreSQL from the OS packages as Aspire executables (for machines without a Docker engine), each run
/// by a small script in scripts/ with its data in a temporary directory of its own, on ports no system server uses.
/// With more than one RabbitMQ node (--rabbitmq-nodes 3) the nodes form a cluster and the services use quorum queues
/// and fail over between the nodes, as in a deployment (docs/run.md).
/// </summary>
public sealed class LocalServers : IServers
{
    private readonly IReadOnlyList<RabbitMqNode> _rabbitMq;
    private readonly IResourceBuilder<ExecutableResource> _postgres;
    private readonly int _postgresPort;
    private readonly List<string> _databases;
    private readonly LocalServerDirectories _directories;

    private LocalServers(
        IReadOnlyList<RabbitMqNode> rabbitMq, IResourceBuilder<ExecutableResource> postgres, int postgresPort,
        List<string> databases, LocalServerDirectories directories)
    {
        _directories = directories;
        _rabbitMq = rabbitMq;
        _postgres = postgres;
        _postgresPort = postgresPort;
        _databases = databases;
    }

    /// <exception cref="MissingServerException">rabbitmq-server, epmd or PostgreSQL is not installed.</exception>
    public static LocalServers Add(IDistributedApplicationBuilder builder, SuitePorts ports, int rabbitMqNodes)
    {
        var tools = LocalServerTools.Find();
        LocalServerDirectories.RemoveStale();
        var directories = LocalServerDirectories.Create(rabbitMqNodes);

        var scripts = Path.Combine(builder.AppHostDirectory, "scripts");
        var epmdPort = ports.For("rabbitmq-epmd");
        var postgresPort = ports.For(Names.Postgres);

        // The nodes of one run share the first node's epmd and one Erlang cookie, so that they can cluster.
        var cookie = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(20));
        var nodes = new List<RabbitMqNode>();
        for (var number = 1; number <= rabbitMqNodes; number++)
        {
            var name = number == 1 ? Names.RabbitMq : $"{Names.RabbitMq}-{Text(number)}";
            var amqpPort = ports.For(name);
            var directory = directories.RabbitMqNodes[number - 1];
            var nodeName = $"hcs-run-{Text(Environment.ProcessId)}-{Text(number)}@localhost";
            builder.Services.AddHealthChecks().AddCheck($"{name}-ready", new TcpReadyCheck(amqpPort, Path.Combine(directory, "ready")));
            var node = builder.AddExecutable(
                    name, "bash", directory,
                    Path.Combine(scripts, "rabbitmq.sh"), directory, Text(amqpPort), Text(ports.For($"{name}-dist")), Text(epmdPort), nodeName)
                .WithEnvironment("HCS_ERLANG_COOKIE", cookie)
                .WithEndpoint(port: amqpPort, targetPort: amqpPort, scheme: "amqp", name: "amqp", isProxied: false)
                .WithHealthCheck($"{name}-ready");
            if (nodes.Count > 0)
            {
                // Joins the first node's cluster once booted. One at a time: each waits until the previous one is a
                // ready member (and the first node's epmd, which they all use, is up).
                node.WithArgs(nodes[0].NodeName).WaitFor(nodes[^1].Resource);
            }

            nodes.Add(new RabbitMqNode(node, amqpPort, nodeName));
        }

        builder.Services.AddHealthChecks().AddCheck("postgres-ready", new TcpReadyCheck(postgresPort, Path.Combine(directories.Postgres, "ready")));

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

        return new LocalServers(nodes, postgres, postgresPort, databases, directories);
    }

    public void Connect(IResourceBuilder<ProjectResource> service, string database)
    {
        _databases.Add(database);
        service
            .WithEnvironment("ConnectionStrings__RabbitMq", $"amqp://guest:guest@127.0.0.1:{Text(_rabbitMq[0].AmqpPort)}/")
            .WithEnvironment("ConnectionStrings__Database", $"Host=127.0.0.1;Port={Text(_postgresPort)};Database={database};Username=postgres")
            .WaitFor(_postgres);
        foreach (var node in _rabbitMq)
        {
            service.WaitFor(node.Resource);
        }

        if (_rabbitMq.Count > 1)
        {
            // As deploy/ configures a cluster: quorum queues, and every node to fail over to (docs/reliability.md).
            service.WithEnvironment("Messaging__QueueType", "quorum");
            for (var index = 0; index < _rabbitMq.Count; index++)
            {
                service.WithEnvironment($"Messaging__ClusterNodes__{Text(index)}", $"127.0.0.1:{Text(_rabbitMq[index].AmqpPort)}");
            }
        }
    }

    public IReadOnlyList<(string Name, string Address)> Describe() =>
    [
        _rabbitMq.Count == 1
            ? ("RabbitMQ", $"amqp://guest:guest@127.0.0.1:{Text(_rabbitMq[0].AmqpPort)}/")
            : ("RabbitMQ", $"a cluster of {Text(_rabbitMq.Count)} nodes, quorum queues: {string.Join(", ", _rabbitMq.Select(n => $"amqp://guest:guest@127.0.0.1:{Text(n.AmqpPort)}/"))}"),
        ("PostgreSQL", $"Host=127.0.0.1;Port={Text(_postgresPort)};Username=postgres (databases {string.Join(", ", _databases)})"),
    ];

    /// <summary>
    /// SIGTERM to each server's script (PostgreSQL: fast shutdown; RabbitMQ: clean stop, then its private epmd; then
    /// the data directory is removed), and a wait until every script has exited. The orchestrator would end an
    /// executable's whole process tree at once, giving no server time to shut down.
    /// </summary>
    public async Task<IReadOnlyList<string>> StopAsync(TimeSpan grace)
    {
        var scripts = _directories.All
            .Select((directory, index) => (
                Name: index < _rabbitMq.Count ? _rabbitMq[index].Resource.Resource.Name : Names.Postgres,
                Pid: LocalServerDirectories.RunningScript(directory)))
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

    private sealed record RabbitMqNode(IResourceBuilder<ExecutableResource> Resource, int AmqpPort, string NodeName);

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
