using RabbitMQ.Client;

namespace HcsLicensing.TestBed;

/// <summary>
/// A private rabbitmq-server node (Debian's package) on free ports with its data in a temporary
/// directory, removed when disposed. Node names are unique, so several test assemblies can each run one.
/// <see cref="StartWithTlsAsync"/> adds a TLS (AMQPS) listener beside the plain one.
/// </summary>
public sealed class LocalRabbitMq : IAsyncDisposable
{
    private const string Server = "/usr/lib/rabbitmq/bin/rabbitmq-server";
    private readonly string _directory;
    private readonly Dictionary<string, string> _environment;
    private LocalProcess? _process;

    private LocalRabbitMq(LocalProcess process, string directory, Dictionary<string, string> environment, RabbitMqEndpoint endpoint, RabbitMqTlsListener? tls)
    {
        _process = process;
        _directory = directory;
        _environment = environment;
        Endpoint = endpoint;
        Tls = tls;
    }

    public RabbitMqEndpoint Endpoint { get; }

    /// <summary>The Erlang node name, e.g. hcs-test-1a2b3c4d@localhost: what rabbitmqctl and clustering call it.</summary>
    public string NodeName => _environment["RABBITMQ_NODENAME"];

    /// <summary>The TLS listener of a node started by <see cref="StartWithTlsAsync"/>, else null.</summary>
    public RabbitMqTlsListener? Tls { get; }

    public static Task<LocalRabbitMq> StartAsync(CancellationToken cancellationToken) => StartAsync(withTls: false, cancellationToken);

    /// <summary>
    /// A node that also listens for AMQPS on 127.0.0.1 (a free port), with a CA and a server certificate for localhost and
    /// 127.0.0.1 made by openssl in its directory (<see cref="TestCertificateAuthority"/>). Clients are not asked for a
    /// certificate. For the TLS tests only: the shared node stays plain and starts as fast as before.
    /// </summary>
    public static Task<LocalRabbitMq> StartWithTlsAsync(CancellationToken cancellationToken = default) => StartAsync(withTls: true, cancellationToken);

    private static async Task<LocalRabbitMq> StartAsync(bool withTls, CancellationToken cancellationToken)
    {
        // The script under /usr/sbin switches to the rabbitmq user and drops our environment; this one keeps it.
        if (!File.Exists(Server))
        {
            throw new InvalidOperationException(
                "No RabbitMQ for the tests: no Docker engine, no HCS_TEST_RABBITMQ, and rabbitmq-server is not installed (apt-get install -y rabbitmq-server).");
        }

        var id = Guid.NewGuid().ToString("N")[..8];
        var directory = Directory.CreateTempSubdirectory($"hcs-rabbitmq-{id}-").FullName;
        var amqpPort = LocalProcess.FreePort();
        var environment = new Dictionary<string, string>
        {
            ["RABBITMQ_NODENAME"] = $"hcs-test-{id}@localhost",
            ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_NODE_PORT"] = amqpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RABBITMQ_DIST_PORT"] = LocalProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RABBITMQ_MNESIA_BASE"] = Path.Combine(directory, "mnesia"),
            ["RABBITMQ_LOG_BASE"] = Path.Combine(directory, "log"),
            ["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(directory, "enabled_plugins"),
            ["RABBITMQ_CONFIG_FILE"] = Path.Combine(directory, "rabbitmq"),
            ["RABBITMQ_ADVANCED_CONFIG_FILE"] = Path.Combine(directory, "advanced.config"),
            ["RABBITMQ_PID_FILE"] = Path.Combine(directory, "rabbitmq.pid"),
        };
        await File.WriteAllTextAsync(environment["RABBITMQ_ENABLED_PLUGINS_FILE"], "[].\n", cancellationToken);
        // The broker must not stop accepting publishes on a busy test machine's disk or memory alarm.
        var config = "disk_free_limit.absolute = 50MB\nvm_memory_high_watermark.relative = 0.8\n";
        RabbitMqTlsListener? tls = null;
        if (withTls)
        {
            (tls, var tlsConfig) = await TlsListenerAsync(directory, cancellationToken);
            config += tlsConfig;
        }

        await File.WriteAllTextAsync(Path.Combine(directory, "rabbitmq.conf"), config, cancellationToken);

        var process = LocalProcess.Start(Server, [], environment);
        var endpoint = new RabbitMqEndpoint("127.0.0.1", amqpPort, "guest", "guest");
        var rabbit = new LocalRabbitMq(process, directory, environment, endpoint, tls);
        try
        {
            await rabbit.WaitUntilReadyAsync(cancellationToken);
            return rabbit;
        }
        catch
        {
            await rabbit.DisposeAsync();
            throw;
        }
    }

    private static async Task<(RabbitMqTlsListener, string)> TlsListenerAsync(string directory, CancellationToken cancellationToken)
    {
        var authority = await TestCertificateAuthority.CreateAsync(directory, "broker-ca", cancellationToken);
        var (certificate, key) = await authority.IssueServerCertificateAsync(directory, "broker", ["localhost", "127.0.0.1"], cancellationToken);
        var port = LocalProcess.FreePort();
        var config = $"""
            listeners.ssl.1 = 127.0.0.1:{port}
            ssl_options.cacertfile = {authority.CertificatePath}
            ssl_options.certfile = {certificate}
            ssl_options.keyfile = {key}
            ssl_options.verify = verify_none
            ssl_options.fail_if_no_peer_cert = false

            """;
        return (new RabbitMqTlsListener("127.0.0.1", port, authority.CertificatePath), config);
    }

    /// <summary>
    /// Stops the node as an operator's stop does (SIGTERM: connections closed, queues and persistent messages flushed)
    /// and keeps its data directory, so that <see cref="StartAgainAsync"/> brings back the same node with its durable
    /// queues and their messages. For reliability drills: a broker outage.
    /// </summary>
    public async Task StopAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
            _process = null;
        }
    }

    /// <summary>Starts the node stopped by <see cref="StopAsync"/> again: same name, ports and data; returns once it accepts connections.</summary>
    public async Task StartAgainAsync(CancellationToken cancellationToken = default)
    {
        _process ??= LocalProcess.Start(Server, [], _environment);
        await WaitUntilReadyAsync(cancellationToken);
    }

    /// <summary>Makes this (fresh) node a member of <paramref name="seed"/>'s cluster, as an operator does with rabbitmqctl.</summary>
    internal async Task JoinClusterAsync(LocalRabbitMq seed, CancellationToken cancellationToken)
    {
        await CtlAsync(["stop_app"], cancellationToken);
        await CtlAsync(["join_cluster", seed.NodeName], cancellationToken);
        await CtlAsync(["start_app"], cancellationToken);
        await WaitUntilReadyAsync(cancellationToken);
    }

    /// <summary>Each queue's type (classic, quorum) and arguments as the node holds them (rabbitmqctl list_queues).</summary>
    public async Task<IReadOnlyDictionary<string, (string Type, string Arguments)>> ListQueuesAsync(CancellationToken cancellationToken = default)
    {
        using var ctl = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(
            "/usr/lib/rabbitmq/bin/rabbitmqctl", ["-n", NodeName, "-q", "list_queues", "--no-table-headers", "name", "type", "arguments"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("could not start rabbitmqctl");
        var output = await ctl.StandardOutput.ReadToEndAsync(cancellationToken);
        await ctl.WaitForExitAsync(cancellationToken);
        if (ctl.ExitCode != 0)
        {
            throw new InvalidOperationException($"rabbitmqctl list_queues exited with {ctl.ExitCode}: {await ctl.StandardError.ReadToEndAsync(cancellationToken)}");
        }

        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t'))
            .Where(fields => fields.Length >= 2)
            .ToDictionary(fields => fields[0], fields => (fields[1], fields.Length > 2 ? fields[2] : ""));
    }

    private Task CtlAsync(IEnumerable<string> arguments, CancellationToken cancellationToken) =>
        LocalProcess.RunAsync("/usr/lib/rabbitmq/bin/rabbitmqctl", ["-n", NodeName, .. arguments], cancellationToken: cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        TryDelete(_directory);
    }

    internal static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open; the temp directory is cleaned by the OS eventually.
        }
        catch (UnauthorizedAccessException)
        {
            // Same as above.
        }
    }

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory { Uri = Endpoint.AmqpUri };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            if (_process is null || _process.HasExited)
            {
                throw new InvalidOperationException($"rabbitmq-server exited while starting:\n{_process?.Output}");
            }

            try
            {
                await using var connection = await factory.CreateConnectionAsync(cancellationToken);
                return;
            }
            catch (RabbitMQ.Client.Exceptions.BrokerUnreachableException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(250, cancellationToken);
            }
        }
    }
}
