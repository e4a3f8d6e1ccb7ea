using System.Diagnostics;
using System.Net;
using System.Text;

namespace HcsLicensing.TestBed;

/// <summary>
/// A built service or simulator run as an OS process of its own (as a second replica runs in production, with no
/// in-process state shared with the test), on a free port, ready once its /health/ready answers 200. Its output
/// is kept and shown if it dies or never gets ready.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServiceProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    /// <summary>Where the service listens, e.g. http://127.0.0.1:41234/.</summary>
    public Uri Address { get; }

    /// <summary>Runs `dotnet <paramref name="assemblyPath"/>` with <paramref name="environment"/> (e.g. ConnectionStrings__Database).</summary>
    public static async Task<ServiceProcess> StartAsync(string assemblyPath, IDictionary<string, string> environment, TimeSpan? readyWithin = null)
    {
        var address = new Uri($"http://127.0.0.1:{LocalProcess.FreePort()}/");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(assemblyPath)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(assemblyPath);
        start.Environment["ASPNETCORE_URLS"] = address.ToString().TrimEnd('/');
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var service = new ServiceProcess(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start"), address);
        service._process.OutputDataReceived += (_, line) => service.Write(line.Data);
        service._process.ErrorDataReceived += (_, line) => service.Write(line.Data);
        service._process.BeginOutputReadLine();
        service._process.BeginErrorReadLine();
        try
        {
            await service.WaitUntilReadyAsync(readyWithin ?? TimeSpan.FromSeconds(60));
            return service;
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        var name = Path.GetFileNameWithoutExtension(_process.StartInfo.ArgumentList[0]);
        using var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{name} exited with {_process.ExitCode}:\n{Output()}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri("health/ready", UriKind.Relative));
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
                throw new TimeoutException($"{name} not ready within {timeout}:\n{Output()}");
            }

            await Task.Delay(200);
        }
    }

    private void Write(string? line)
    {
        lock (_output)
        {
            if (line is not null && _output.Length < 256 * 1024)
            {
                _output.AppendLine(line);
            }
        }
    }

    private string Output()
    {
        lock (_output)
        {
            return _output.ToString();
        }
    }
}
