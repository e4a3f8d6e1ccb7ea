using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace HcsLicensing.TestBed;

/// <summary>
/// A server process started from the OS packages in a process group of its own, so that stopping it
/// also stops what it spawned (rabbitmq-server's Erlang VM, postgres' workers), with its output kept for errors.
/// </summary>
internal sealed class LocalProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly string _stopSignal;
    private int _stopped;

    private LocalProcess(Process process, string stopSignal)
    {
        _process = process;
        _stopSignal = stopSignal;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Kill();
    }

    public bool HasExited => _process.HasExited;

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
    /// Starts <paramref name="command"/> through setsid (its own process group), optionally as another user;
    /// <paramref name="stopSignal"/> is what asks it to shut down cleanly (postgres wants INT for a fast shutdown).
    /// </summary>
    public static LocalProcess Start(string command, IEnumerable<string> arguments, IDictionary<string, string>? environment = null, string? runAsUser = null, string stopSignal = "TERM")
    {
        var info = new ProcessStartInfo("setsid")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (runAsUser is not null)
        {
            info.ArgumentList.Add("runuser");
            info.ArgumentList.Add("-u");
            info.ArgumentList.Add(runAsUser);
            info.ArgumentList.Add("--");
        }

        info.ArgumentList.Add(command);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        return new LocalProcess(Process.Start(info) ?? throw new InvalidOperationException($"could not start {command}"), stopSignal);
    }

    /// <summary>Runs a short command to completion and throws with its output when it fails.</summary>
    public static async Task RunAsync(string command, IEnumerable<string> arguments, string? runAsUser = null, CancellationToken cancellationToken = default)
    {
        await using var process = Start(command, arguments, runAsUser: runAsUser);
        await process._process.WaitForExitAsync(cancellationToken);
        if (process._process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{command} exited with {process._process.ExitCode}: {process.Output}");
        }
    }

    /// <summary>A TCP port nobody listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Stops the process group: the stop signal, then SIGKILL for whatever is left after the grace period.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        Signal(_stopSignal);
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await _process.WaitForExitAsync(grace.Token);
        }
        catch (OperationCanceledException)
        {
            // Did not stop in time; the KILL below settles it.
        }

        Kill();
        _process.Dispose();
    }

    private void Kill()
    {
        Signal("KILL");
    }

    private void Signal(string signal)
    {
        try
        {
            // The negative pid addresses the whole process group that setsid created.
            using var kill = Process.Start(new ProcessStartInfo("kill", $"-{signal} -- -{_process.Id}") { RedirectStandardError = true, UseShellExecute = false });
            kill?.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
            // The process is gone already.
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            if (_output.Length < 64 * 1024)
            {
                _output.AppendLine(line);
            }
        }
    }
}
