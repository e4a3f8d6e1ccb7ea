using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;

namespace HcsLicensing.TestBed.Suite;

/// <summary>
/// One process of a suite: `dotnet &lt;assembly&gt;` in a process group of its own, on a port the suite chose, ready once
/// its readiness path answers 200. Unlike <see cref="ServiceProcess"/> it keeps its port across a kill and a restart
/// (URLs other processes were given stay valid) and knows that the simulators answer /health rather than /health/ready.
/// Its output, over all its runs, is kept for error messages.
/// </summary>
internal sealed class SuiteProcess : IAsyncDisposable
{
    private const int OutputLimit = 512 * 1024;
    private readonly string _assemblyPath;
    private readonly string _readyPath;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly StringBuilder _output = new();
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private Process? _process;
    private int _runs;
    private volatile bool _portTaken;

    public SuiteProcess(SuiteService service, string assemblyPath, string readyPath, int port, IReadOnlyDictionary<string, string> environment)
    {
        Service = service;
        _assemblyPath = assemblyPath;
        _readyPath = readyPath;
        _environment = environment;
        Port = port;
        AppDomain.CurrentDomain.ProcessExit += KillOnExit;
    }

    public SuiteService Service { get; }

    /// <summary>The built assembly the process runs (a snapshot's copy when builds are snapshotted).</summary>
    public string AssemblyPath => _assemblyPath;

    /// <summary>Changes only if a restart could not get its port back (see <see cref="StartAsync"/>).</summary>
    public int Port { get; private set; }

    public Uri Address => new($"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}/");

    public IReadOnlyDictionary<string, string> Environment => _environment;

    /// <summary>The running process's id (also its process group's); null while it is not running.</summary>
    public int? ProcessId => _process is { } process && IsRunning ? process.Id : null;

    public bool IsRunning
    {
        get
        {
            var process = _process;
            return process is not null && !process.HasExited;
        }
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>
    /// Starts the process and waits for its readiness probe. When the port is taken (a listener of someone else
    /// grabbed it while this one was down) it tries again on the same port for <paramref name="portRetry"/>; after
    /// that, if <paramref name="mayMove"/>, on a new port, which changes <see cref="Address"/>.
    /// </summary>
    public async Task StartAsync(TimeSpan readyWithin, TimeSpan portRetry, bool mayMove, CancellationToken cancellationToken)
    {
        await _lifecycle.WaitAsync(cancellationToken);
        try
        {
            if (IsRunning)
            {
                throw new InvalidOperationException($"{Service} is running already; kill it first");
            }

            var portDeadline = DateTime.UtcNow + portRetry;
            while (true)
            {
                try
                {
                    await StartOnceAsync(readyWithin, cancellationToken);
                    return;
                }
                catch (SuitePortTakenException) when (DateTime.UtcNow < portDeadline)
                {
                    await Task.Delay(500, cancellationToken);
                }
                catch (SuitePortTakenException) when (mayMove)
                {
                    var old = Port;
                    Port = SuitePorts.Next();
                    Write($"--- port {old} stayed taken; moving {Service} to {Port} ---");
                    await Console.Error.WriteLineAsync($"HcsSuite: {Service} could not listen on port {old} again and now listens on {Port}; URLs given to other processes still name {old}");
                }
            }
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>SIGKILL to the process group: a crash, with no shutdown code run. Waits until it is gone.</summary>
    public async Task KillAsync()
    {
        await _lifecycle.WaitAsync();
        try
        {
            await KillCurrentAsync();
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>SIGTERM (the host shuts down: the bus closes its connections), then SIGKILL for whatever is left after <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        await _lifecycle.WaitAsync();
        try
        {
            if (_process is not { } process)
            {
                return;
            }

            if (!process.HasExited)
            {
                await SignalAsync(process.Id, "TERM");
                using var timeout = new CancellationTokenSource(grace);
                try
                {
                    await process.WaitForExitAsync(timeout.Token);
                }
                catch (OperationCanceledException)
                {
                    Write($"--- {Service} did not stop within {grace}; killing it ---");
                }
            }

            await KillCurrentAsync();
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(10));
        AppDomain.CurrentDomain.ProcessExit -= KillOnExit;
        _lifecycle.Dispose();
    }

    private async Task StartOnceAsync(TimeSpan readyWithin, CancellationToken cancellationToken)
    {
        // setsid gives the process a group of its own, so that a kill reaches anything it spawned as well.
        var start = new ProcessStartInfo("setsid")
        {
            WorkingDirectory = Path.GetDirectoryName(_assemblyPath)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // The SDK names the dotnet that runs the tests; PATH may hold another (or none).
        start.ArgumentList.Add(System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } dotnet && File.Exists(dotnet) ? dotnet : "dotnet");
        start.ArgumentList.Add(_assemblyPath);
        start.Environment["ASPNETCORE_URLS"] = Address.ToString().TrimEnd('/');
        foreach (var (key, value) in _environment)
        {
            start.Environment[key] = value;
        }

        var run = Interlocked.Increment(ref _runs);
        _portTaken = false;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {Service}");
        Write($"--- {Service} run {run}: pid {process.Id}, {Address} ---");
        process.OutputDataReceived += (_, line) => Read(line.Data);
        process.ErrorDataReceived += (_, line) => Read(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        try
        {
            await WaitUntilReadyAsync(process, readyWithin, cancellationToken);
        }
        catch
        {
            await KillCurrentAsync();
            throw;
        }
    }

    private async Task WaitUntilReadyAsync(Process process, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (process.HasExited)
            {
                // Let the output readers drain, so that the reason is in the message.
                await process.WaitForExitAsync(cancellationToken);
                if (_portTaken)
                {
                    throw new SuitePortTakenException(Service, Port);
                }

                throw new InvalidOperationException($"{Service} exited with {process.ExitCode} before it was ready:\n{Tail(Output)}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(_readyPath, UriKind.Relative), cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // Not listening yet.
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{Service} did not answer {_readyPath} with 200 within {timeout}:\n{Tail(Output)}");
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    private async Task KillCurrentAsync()
    {
        if (_process is not { } process)
        {
            return;
        }

        // The group, even if the leader has exited already: nothing it spawned may outlive it.
        await SignalAsync(process.Id, "KILL");
        await process.WaitForExitAsync();
        Write($"--- {Service} pid {process.Id} ended with {process.ExitCode} ---");
        process.Dispose();
        _process = null;
    }

    private static async Task SignalAsync(int processGroup, string signal)
    {
        // The negative pid addresses the process group setsid created; the leader's pid is the group's id.
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, "--", "-" + processGroup.ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardError = true,
            UseShellExecute = false,
        });
        if (kill is not null)
        {
            await kill.WaitForExitAsync();
        }
    }

    private void KillOnExit(object? sender, EventArgs e)
    {
        // The test host is exiting (perhaps without DisposeAsync): leave no service behind. Synchronous on purpose.
        if (_process is { } process)
        {
            try
            {
                using var kill = Process.Start(new ProcessStartInfo("kill", ["-KILL", "--", "-" + process.Id.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false });
                kill?.WaitForExit(5000);
            }
            catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Gone already.
            }
        }
    }

    private void Read(string? line)
    {
        // Kestrel: "Failed to bind to address http://127.0.0.1:N: address already in use."
        if (line?.Contains("address already in use", StringComparison.OrdinalIgnoreCase) == true)
        {
            _portTaken = true;
        }

        Write(line);
    }

    private void Write(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
            if (_output.Length > OutputLimit)
            {
                // Keep the latest output: after a restart, that is what explains a failure.
                _output.Remove(0, _output.Length - (OutputLimit * 3 / 4));
            }
        }
    }

    private static string Tail(string output) => output.Length <= 16 * 1024 ? output : "...\n" + output[^(16 * 1024)..];

}

/// <summary>Kestrel could not bind the port the suite chose: someone else listens there.</summary>
internal sealed class SuitePortTakenException(SuiteService service, int port) : Exception($"{service} could not listen on port {port}: address already in use");
