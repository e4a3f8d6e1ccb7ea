using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using HcsLicensing.CssmSimulator;
using HcsLicensing.TestBed;

namespace HcsLicensing.CssmSimulator.Tests;

/// <summary>The simulator runs as a process of its own, where ASPNETCORE_URLS says, as other services and simulators use it.</summary>
public class StandaloneProcessTests
{
    [Test]
    public async Task The_built_simulator_serves_tokens_on_the_port_ASPNETCORE_URLS_names()
    {
        var port = FreePort();
        var dll = typeof(CssmSimulatorApp).Assembly.Location;
        var info = new ProcessStartInfo("dotnet", [dll]) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(dll)! };
        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        using var process = Process.Start(info)!;
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            var status = await Eventually.Poll(
                async () =>
                {
                    try
                    {
                        using var response = await http.PostAsync(new Uri("/as/token.oauth2", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
                        {
                            ["grant_type"] = "client_credentials",
                            ["client_id"] = "hcs-demo-client",
                            ["client_secret"] = "hcs-demo-secret",
                        }));
                        return response.StatusCode;
                    }
                    catch (HttpRequestException)
                    {
                        return (HttpStatusCode?)null;
                    }
                },
                s => s is not null,
                TimeSpan.FromSeconds(30));

            Assert.That(status, Is.EqualTo(HttpStatusCode.OK), "the appsettings.json seed (hcs-demo-client) gets a token");
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
