using System.Globalization;
using System.Net.Sockets;

namespace HcsLicensing.TestBed;

/// <summary>
/// A real HTTP proxy for a test: Debian's tinyproxy on a free port of 127.0.0.1, optionally with basic authentication,
/// with its own config and log file in a temporary directory that goes with it. Forwards plain HTTP and tunnels HTTPS
/// (CONNECT to any port). Its log names every request it was sent ("Request (file descriptor N): POST http://...").
/// </summary>
public sealed class LocalHttpProxy : IAsyncDisposable
{
    private static readonly string[] Binaries = ["/usr/bin/tinyproxy", "/usr/sbin/tinyproxy"];

    private readonly LocalProcess _process;
    private readonly string _directory;

    private LocalHttpProxy(LocalProcess process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
    }

    public string Host { get; } = "127.0.0.1";

    public int Port { get; }

    /// <summary>A port of 127.0.0.1 where no proxy listens: an operator's typo.</summary>
    public static int UnusedPort() => LocalProcess.FreePort();

    public string LogFile => Path.Combine(_directory, "tinyproxy.log");

    /// <summary>Starts tinyproxy; with <paramref name="user"/> and <paramref name="password"/> it answers 407 to requests without them.</summary>
    public static async Task<LocalHttpProxy> StartAsync(string? user = null, string? password = null, CancellationToken cancellationToken = default)
    {
        var binary = Binaries.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("No HTTP proxy for the tests: install Debian's tinyproxy (apt-get install tinyproxy; .ci/run does).");
        var directory = Directory.CreateTempSubdirectory("hcs-proxy-").FullName;
        var port = LocalProcess.FreePort();
        var config = Path.Combine(directory, "tinyproxy.conf");
        // No ConnectPort line: CONNECT to any port (the simulator's), not just 443. Via left out so answers stay CSSM's.
        await File.WriteAllLinesAsync(config,
        [
            $"Port {port.ToString(CultureInfo.InvariantCulture)}",
            "Listen 127.0.0.1",
            "Allow 127.0.0.1",
            "Timeout 30",
            "MaxClients 100",
            $"LogFile \"{Path.Combine(directory, "tinyproxy.log")}\"",
            "LogLevel Connect",
            "DisableViaHeader Yes",
            .. user is null ? Array.Empty<string>() : [$"BasicAuth {user} {password}"],
        ], cancellationToken);
        var process = LocalProcess.Start(binary, ["-d", "-c", config]);
        var proxy = new LocalHttpProxy(process, directory, port);
        try
        {
            await proxy.WaitUntilListeningAsync(cancellationToken);
            return proxy;
        }
        catch
        {
            await proxy.DisposeAsync();
            throw;
        }
    }

    /// <summary>The requests the proxy was sent so far, as "METHOD URL" (e.g. "GET http://127.0.0.1:4711/v2/accounts").</summary>
    public async Task<IReadOnlyList<string>> RequestsAsync()
    {
        if (!File.Exists(LogFile))
        {
            return [];
        }

        // tinyproxy keeps the file open for writing; share it.
        await using var stream = new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var lines = (await reader.ReadToEndAsync()).Split('\n');
        const string marker = "): ";
        return [.. lines
            .Where(line => line.Contains("Request (file descriptor", StringComparison.Ordinal))
            .Select(line => line[(line.IndexOf(marker, StringComparison.Ordinal) + marker.Length)..].Trim())
            .Select(request => request.EndsWith(" HTTP/1.1", StringComparison.Ordinal) ? request[..^" HTTP/1.1".Length] : request)];
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open: the temporary directory is left to the OS.
        }
    }

    private async Task WaitUntilListeningAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"tinyproxy exited at start: {_process.Output}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(Host, Port, cancellationToken);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50, cancellationToken);
            }
        }
    }
}
