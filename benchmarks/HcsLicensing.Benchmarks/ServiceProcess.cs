using System.Diagnostics;

namespace HcsLicensing.Benchmarks;

/// <summary>A service of the suite run as its own process from its Release build, as it runs in production.</summary>
internal sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ServiceProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<ServiceProcess> StartAsync(string project, int port, IDictionary<string, string> environment)
    {
        var root = RepositoryRoot();
        var dll = Path.Combine(root, "services", project, "bin", "Release", "net10.0", $"{project}.dll");
        await RunAsync("dotnet", $"build -c Release -v q --nologo services/{project}", root);
        var address = new Uri($"http://127.0.0.1:{port}");
        var info = new ProcessStartInfo("dotnet", $"\"{dll}\"") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
        info.Environment["ASPNETCORE_URLS"] = address.ToString();
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {project}");
        process.OutputDataReceived += (_, e) => Echo(project, e.Data);
        process.ErrorDataReceived += (_, e) => Echo(project, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var service = new ServiceProcess(process, address);
        await service.WaitUntilReadyAsync(project);
        return service;
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

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "HcsLicensing.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("run the benchmark from inside the repository");
    }

    private static async Task RunAsync(string command, string arguments, string workingDirectory)
    {
        using var process = Process.Start(new ProcessStartInfo(command, arguments) { WorkingDirectory = workingDirectory })
            ?? throw new InvalidOperationException($"could not run {command}");
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{command} {arguments} failed with {process.ExitCode}");
        }
    }

    private static void Echo(string project, string? line)
    {
        if (!string.IsNullOrWhiteSpace(line))
        {
            Console.Error.WriteLine($"[{project}] {line}");
        }
    }

    private async Task WaitUntilReadyAsync(string project)
    {
        using var http = new HttpClient { BaseAddress = Address };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{project} exited with {_process.ExitCode} while starting");
            }

            try
            {
                if ((await http.GetAsync(new Uri("/health/ready", UriKind.Relative))).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"{project} was not ready within 60 s");
    }
}
