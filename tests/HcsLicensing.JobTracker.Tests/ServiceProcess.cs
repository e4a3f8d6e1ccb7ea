using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace HcsLicensing.JobTracker.Tests;

/// <summary>
/// JobTracker as a separate OS process (the built service next to the tests), the way a second replica runs in
/// production. WebApplicationFactory replicas would share the process and with it the in-process per-instance lock,
/// so only a real second process makes messages for one job collide on xmin.
/// </summary>
internal sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringWriter _output = new();

    private ServiceProcess(Process process) => _process = process;

    public static async Task<ServiceProcess> StartAsync(string database, Uri broker, string endpointPrefix)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(typeof(Program).Assembly.Location);
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["ConnectionStrings__Database"] = database;
        start.Environment["ConnectionStrings__RabbitMq"] = broker.ToString();
        start.Environment["Messaging__EndpointPrefix"] = endpointPrefix;
        start.Environment["Logging__LogLevel__Default"] = "Warning";

        var service = new ServiceProcess(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start"));
        service._process.OutputDataReceived += (_, line) => service.Write(line.Data);
        service._process.ErrorDataReceived += (_, line) => service.Write(line.Data);
        service._process.BeginOutputReadLine();
        service._process.BeginErrorReadLine();
        await service.WaitUntilReadyAsync(new Uri($"http://127.0.0.1:{port}/health/ready"), TimeSpan.FromSeconds(60));
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
        _output.Dispose();
    }

    private async Task WaitUntilReadyAsync(Uri ready, TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_process.HasExited)
            {
                Assert.Fail($"JobTracker process exited with {_process.ExitCode}:\n{Output()}");
            }

            try
            {
                using var response = await http.GetAsync(ready);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"JobTracker process not ready within {timeout}:\n{Output()}");
            }

            await Task.Delay(200);
        }
    }

    private void Write(string? line)
    {
        lock (_output)
        {
            _output.WriteLine(line);
        }
    }

    private string Output()
    {
        lock (_output)
        {
            return _output.ToString();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
