using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace HcsLicensing.Observability.Tests.Tracing;

/// <summary>
/// A simulator (CSSM or UC application) as an OS process of its own, from its build output, on a port of its own, ready
/// once /health answers: what the services call over HTTP is then truly outside them, as in production. (The test
/// bed's ServiceProcess waits on /health/ready, which the simulators do not have, and HcsSuite starts all six.)
/// </summary>
public sealed class SimulatorProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    private SimulatorProcess(Process process, int port)
    {
        this.process = process;
        Port = port;
    }

    public int Port { get; }

    public Uri Address => new($"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}/");

    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    /// <summary>Starts simulators/<paramref name="project"/>'s build (the configuration and framework this test was built with).</summary>
    public static async Task<SimulatorProcess> StartAsync(string project, IReadOnlyDictionary<string, string> environment, TimeSpan readyWithin)
    {
        var assembly = BuiltAssembly(project);
        var port = FreePort();
        // setsid: a process group of its own, so that the kill below reaches anything it spawned.
        var start = new ProcessStartInfo("setsid")
        {
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } dotnet && File.Exists(dotnet) ? dotnet : "dotnet");
        start.ArgumentList.Add(assembly);
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var simulator = new SimulatorProcess(Process.Start(start) ?? throw new InvalidOperationException($"{project} did not start"), port);
        simulator.process.OutputDataReceived += (_, line) => simulator.Write(line.Data);
        simulator.process.ErrorDataReceived += (_, line) => simulator.Write(line.Data);
        simulator.process.BeginOutputReadLine();
        simulator.process.BeginErrorReadLine();
        try
        {
            await simulator.WaitUntilReadyAsync(project, readyWithin);
            return simulator;
        }
        catch
        {
            await simulator.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            using (var kill = Process.Start(new ProcessStartInfo("kill", ["-KILL", "--", "-" + process.Id.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false }))
            {
                if (kill is not null)
                {
                    await kill.WaitForExitAsync();
                }
            }

            await process.WaitForExitAsync();
        }

        process.Dispose();
    }

    private async Task WaitUntilReadyAsync(string project, TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (process.HasExited)
            {
                await process.WaitForExitAsync();
                throw new InvalidOperationException($"{project} exited with {process.ExitCode}:\n{Output}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri("health", UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{project} did not answer /health within {timeout}:\n{Output}");
            }

            await Task.Delay(100);
        }
    }

    private static string BuiltAssembly(string project)
    {
        // This runs from tests/<this project>/bin/<Configuration>/<TargetFramework>/: the simulator's build sits alike.
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var root = here;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "HcsLicensing.sln")))
        {
            root = root.Parent;
        }

        if (root is null)
        {
            throw new InvalidOperationException($"no HcsLicensing.sln above {AppContext.BaseDirectory}");
        }

        var path = Path.Combine(root.FullName, "simulators", project, "bin", here.Parent!.Name, here.Name, project + ".dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"{project} is not built (this project references it, so building it builds it)", path);
    }

    /// <summary>
    /// A free port below the kernel's ephemeral range: one from the range (what port 0 gives) can be taken as the local
    /// port of an outgoing connection before the simulator binds it, and this process makes many (RabbitMQ, PostgreSQL).
    /// </summary>
    private static int FreePort()
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var port = Random.Shared.Next(10_000, 32_000);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken: try another.
            }
        }

        throw new InvalidOperationException("no free port found in 10000-32000");
    }

    private void Write(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            if (output.Length < 256 * 1024)
            {
                output.AppendLine(line);
            }
        }
    }
}
