extern alias cssm;
extern alias ucsim;
using cssm::HcsLicensing.CssmSimulator;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using ucsim::HcsLicensing.UcSimulator;

namespace HcsLicensing.Chpa.Tests.Support;

/// <summary>
/// The CSSM simulator and the UC simulator, each in this process on a real TCP port, started once per test assembly.
/// Clusters register with the real CSSM simulator; tests keep apart by adding clusters of their own.
/// </summary>
public sealed class Simulators : IAsyncDisposable
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static Simulators? _shared;

    private readonly WebApplication _cssm;
    private readonly WebApplication _uc;

    private Simulators(WebApplication cssm, WebApplication uc)
    {
        _cssm = cssm;
        _uc = uc;
        Cssm = new CssmClient(new HttpClient { BaseAddress = new Uri(cssm.Urls.First()) });
        Uc = new UcAdminClient(new HttpClient { BaseAddress = new Uri(uc.Urls.First()) });
    }

    public CssmClient Cssm { get; }

    public UcAdminClient Uc { get; }

    /// <summary>CHPA's UcApplications:BaseAddressTemplate for this UC simulator.</summary>
    public string PublisherTemplate => $"{_uc.Urls.First().TrimEnd('/')}/publishers/{{publisher}}/";

    public static async Task<Simulators> GetAsync()
    {
        await Gate.WaitAsync();
        try
        {
            return _shared ??= await StartAsync();
        }
        finally
        {
            Gate.Release();
        }
    }

    public static async Task StopAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_shared is not null)
            {
                await _shared.DisposeAsync();
                _shared = null;
            }
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>A UC simulator of its own (e.g. seeded differently), registering with the shared CSSM simulator.</summary>
    public static async Task<WebApplication> StartUcSimulatorAsync(Uri cssmBaseAddress, IDictionary<string, string?> settings)
    {
        var app = UcSimulatorApp.Build([], builder =>
        {
            // The test's output folder holds some simulator's appsettings.json: only the test's settings count.
            builder.Configuration.Sources.Clear();
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["urls"] = "http://127.0.0.1:0" });
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["UcSimulator:CssmBaseAddress"] = cssmBaseAddress.ToString(),
                ["UcSimulator:Generated:Count"] = "0",
                ["UcSimulator:Knobs:RestartSeconds"] = "2",
            });
            builder.Configuration.AddInMemoryCollection(settings);
        });
        await app.StartAsync();
        return app;
    }

    public async ValueTask DisposeAsync()
    {
        await _uc.StopAsync();
        await _uc.DisposeAsync();
        await _cssm.StopAsync();
        await _cssm.DisposeAsync();
    }

    private static async Task<Simulators> StartAsync()
    {
        var cssm = CssmSimulatorApp.Build([], builder =>
        {
            builder.Configuration.Sources.Clear();
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["urls"] = "http://127.0.0.1:0" });
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Cssm:SmartAccounts:0:Domain"] = CssmClient.Domain,
                ["Cssm:SmartAccounts:0:Name"] = "HCS-DEMO",
                ["Cssm:SmartAccounts:0:VirtualAccounts"] = "5",
                ["Cssm:SmartAccounts:0:SatelliteShare"] = "0",
                ["Cssm:SmartAccounts:0:Clients:0:ClientId"] = CssmClient.ClientId,
                ["Cssm:SmartAccounts:0:Clients:0:ClientSecret"] = CssmClient.ClientSecret,
            });
        });
        await cssm.StartAsync();
        var uc = await StartUcSimulatorAsync(new Uri(cssm.Urls.First()), new Dictionary<string, string?>());
        return new Simulators(cssm, uc);
    }
}
