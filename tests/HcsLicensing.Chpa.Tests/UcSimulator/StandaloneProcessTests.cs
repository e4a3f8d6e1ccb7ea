using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using HcsLicensing.TestBed;

namespace HcsLicensing.Chpa.Tests.UcSimulator;

/// <summary>The UC simulator as a process of its own, from its own build output with its own appsettings.json.</summary>
public class StandaloneProcessTests
{
    [Test]
    public async Task The_built_simulator_serves_its_configured_clusters_on_the_port_ASPNETCORE_URLS_names()
    {
        var port = FreePort();
        var dll = SimulatorDll();
        var info = new ProcessStartInfo("dotnet", [dll]) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(dll)! };
        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        using var process = Process.Start(info)!;
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            var page = await Eventually.Poll(
                async () =>
                {
                    try
                    {
                        return await http.GetFromJsonAsync<JsonObject>(new Uri("/admin/clusters?limit=1", UriKind.Relative));
                    }
                    catch (HttpRequestException)
                    {
                        return null;
                    }
                },
                p => p is not null,
                TimeSpan.FromSeconds(30));
            using var request = new HttpRequestMessage(HttpMethod.Get, "/publishers/cl1-alfa-pub.hcs.example/smartlicensing/status");
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("ccmadministrator:alfa-mgmt")));
            using var status = await http.SendAsync(request);

            Assert.Multiple(() =>
            {
                Assert.That((int?)page?["total"], Is.EqualTo(3002), "3,000 generated clusters and the seed article's cl1-alfa and cluster2-test");
                Assert.That(status.StatusCode, Is.EqualTo(HttpStatusCode.OK), "cl1-alfa answers with its configured credentials");
            });
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>The simulator's own build output (same configuration as this test), found from the solution folder.</summary>
    private static string SimulatorDll()
    {
        var here = new DirectoryInfo(AppContext.BaseDirectory);
        var root = here;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "HcsLicensing.sln")))
        {
            root = root.Parent;
        }

        Assert.That(root, Is.Not.Null, "the test runs inside the repository");
        // bin/<Configuration>/<TargetFramework>/ of the test, mirrored for the simulator.
        var configuration = here.Parent!.Name;
        var framework = here.Name;
        return Path.Combine(root!.FullName, "simulators", "HcsLicensing.UcSimulator", "bin", configuration, framework, "HcsLicensing.UcSimulator.dll");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
