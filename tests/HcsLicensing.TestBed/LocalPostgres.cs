using Npgsql;

namespace HcsLicensing.TestBed;

/// <summary>
/// A private PostgreSQL cluster (initdb + postgres from the OS) on a free port with its data in a
/// temporary directory, removed when disposed. initdb refuses root, so as root it runs as `postgres`.
/// </summary>
internal sealed class LocalPostgres : IAsyncDisposable
{
    private static readonly string[] BinDirectories = ["/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/17/bin"];
    private readonly string _directory;
    private readonly Func<LocalProcess> _start;
    private LocalProcess? _process;

    private LocalPostgres(Func<LocalProcess> start, string directory, PostgresServer server)
    {
        _start = start;
        _process = start();
        _directory = directory;
        Server = server;
    }

    public PostgresServer Server { get; }

    public static async Task<LocalPostgres> StartAsync(CancellationToken cancellationToken)
    {
        var bin = BinDirectories.FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")))
            ?? throw new InvalidOperationException("No PostgreSQL for the tests: no Docker engine, no HCS_TEST_POSTGRES, and no initdb under /usr/lib/postgresql.");
        var user = Environment.UserName == "root" ? "postgres" : null;
        var directory = Directory.CreateTempSubdirectory("hcs-postgres-").FullName;
        var data = Path.Combine(directory, "data");
        if (user is not null)
        {
            await LocalProcess.RunAsync("chown", ["-R", user, directory], cancellationToken: cancellationToken);
        }

        await LocalProcess.RunAsync(Path.Combine(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"], user, cancellationToken);
        var port = LocalProcess.FreePort();
        LocalProcess Postgres() => LocalProcess.Start(
            Path.Combine(bin, "postgres"),
            ["-D", data, "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-c", "listen_addresses=127.0.0.1", "-c", $"unix_socket_directories={directory}", "-c", "max_connections=300"],
            runAsUser: user,
            stopSignal: "INT");
        var server = new PostgresServer($"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres");
        var postgres = new LocalPostgres(Postgres, directory, server);
        try
        {
            await postgres.WaitUntilReadyAsync(cancellationToken);
            return postgres;
        }
        catch
        {
            await postgres.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Stops the server with a fast shutdown (SIGINT: sessions ended, a checkpoint written) and keeps its data
    /// directory, so that <see cref="StartAgainAsync"/> brings back every database as it was committed. For reliability
    /// drills: a database outage.
    /// </summary>
    public async Task StopAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
            _process = null;
        }
    }

    /// <summary>Starts the server stopped by <see cref="StopAsync"/> again on the same port and data; returns once it accepts connections.</summary>
    public async Task StartAgainAsync(CancellationToken cancellationToken = default)
    {
        _process ??= _start();
        await WaitUntilReadyAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        LocalRabbitMq.TryDelete(_directory);
    }

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (_process is null || _process.HasExited)
            {
                throw new InvalidOperationException($"postgres exited while starting:\n{_process?.Output}");
            }

            try
            {
                await using var connection = new NpgsqlConnection(Server.AdminConnectionString);
                await connection.OpenAsync(cancellationToken);
                return;
            }
            catch (NpgsqlException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200, cancellationToken);
            }
        }
    }
}
