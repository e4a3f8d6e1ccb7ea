extern alias cssm;

using System.Diagnostics;
using System.Net.Http.Json;
using cssm::HcsLicensing.CssmSimulator;
using HcsLicensing.SmartAccountSync.Cssm;
using HcsLicensing.SmartAccountSync.Data;
using HcsLicensing.SmartAccountSync.Licenses;
using HcsLicensing.SmartAccountSync.SmartAccounts;
using HcsLicensing.SmartAccountSync.Sync;
using HcsLicensing.TestBed;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// Syncs 10,000 VAs (by default; first argument to change) from the CSSM simulator over HTTP into PostgreSQL with the
// service's own code (Refit client with its handlers, VirtualAccountSync, the single-statement upsert; since
// 2026-11-30 also LicenseSync: the VAs' license report, paged, stored in the same transaction) and prints the time of
// each phase. PostgreSQL: HCS_TEST_POSTGRES if set, else the test bed's (containers or a local server).
var count = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 10_000;
const string Domain = "hcs-bench.example.com";
const string WarmUpDomain = "hcs-warmup.example.com";

await using var servers = await TestServers.StartAsync();
var simulator = CssmSimulatorApp.Build([], builder =>
{
    builder.WebHost.UseUrls("http://127.0.0.1:0");
    builder.Logging.ClearProviders();
    builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Cssm:SmartAccounts:0:Domain"] = Domain,
        ["Cssm:SmartAccounts:0:Name"] = "HCS-BENCH",
        ["Cssm:SmartAccounts:0:VirtualAccounts"] = count.ToString(System.Globalization.CultureInfo.InvariantCulture),
        // None via satellite: every one of the VAs is stored, the hardest case for the upsert.
        ["Cssm:SmartAccounts:0:SatelliteShare"] = "0",
        ["Cssm:SmartAccounts:0:Clients:0:ClientId"] = "bench-client",
        ["Cssm:SmartAccounts:0:Clients:0:ClientSecret"] = "bench-secret",
        ["Cssm:SmartAccounts:1:Domain"] = WarmUpDomain,
        ["Cssm:SmartAccounts:1:Name"] = "HCS-WARMUP",
        ["Cssm:SmartAccounts:1:VirtualAccounts"] = "2000",
        ["Cssm:SmartAccounts:1:Clients:0:ClientId"] = "bench-client",
        ["Cssm:SmartAccounts:1:Clients:0:ClientSecret"] = "bench-secret",
    });
});
await simulator.StartAsync();
var cssmAddress = new Uri(simulator.Urls.First());

var database = await servers.Postgres.CreateDatabaseAsync("sasbench");
var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
{
    ["Cssm:TokenUrl"] = new Uri(cssmAddress, "/as/token.oauth2").ToString(),
    ["Cssm:SwapiBaseUrl"] = new Uri(cssmAddress, "/services/api/smart-accounts-and-licensing/").ToString(),
}).Build();
var services = new ServiceCollection()
    .AddLogging()
    .AddDbContext<SmartAccountSyncDbContext>(options => options.UseNpgsql(database))
    .AddCssmClients(configuration)
    .AddScoped<VirtualAccountSync>()
    .AddScoped<LicenseSync>()
    .Configure<LicenseSyncOptions>(_ => { })
    .BuildServiceProvider();

var credentials = new CssmCredentials("bench-client", "bench-secret");
var bench = await AddAccountAsync(Domain, "HCS-BENCH");
var warmUp = await AddAccountAsync(WarmUpDomain, "HCS-WARMUP");
await SyncAsync(warmUp, "warm-up (2,000 VAs, JIT and connections)", print: false);

Console.WriteLine($"Sync of {count:N0} VAs from the CSSM simulator (HTTP) into PostgreSQL, {Environment.ProcessorCount} cores:");
await SyncAsync(bench, "first sync (all new)");
await SyncAsync(bench, "re-sync, nothing changed");
using (var http = new HttpClient { BaseAddress = cssmAddress })
{
    for (var i = 0; i < 100; i++)
    {
        await http.PostAsJsonAsync(new Uri($"/sim/control/smart-accounts/{Domain}/virtual-accounts", UriKind.Relative), new { name = $"HCS-BENCH-NEW-{i}" });
        await http.DeleteAsync(new Uri($"/sim/control/smart-accounts/{Domain}/virtual-accounts/HCS-CUST-{i * 50 + 2:D5}", UriKind.Relative));
    }
}

await SyncAsync(bench, "re-sync, 100 added and 100 removed in CSSM");
await simulator.DisposeAsync();
return;

async Task<SmartAccount> AddAccountAsync(string domain, string name)
{
    await using var scope = services.CreateAsyncScope();
    var db = scope.ServiceProvider.GetRequiredService<SmartAccountSyncDbContext>();
    await db.Database.MigrateAsync();
    var account = new SmartAccount { Id = Guid.NewGuid(), Domain = domain, Name = name, ClientId = credentials.ClientId, ProtectedClientSecret = "-", ConfiguredAt = DateTimeOffset.UtcNow };
    db.SmartAccounts.Add(account);
    await db.SaveChangesAsync();
    return account;
}

async Task SyncAsync(SmartAccount account, string label, bool print = true)
{
    await using var scope = services.CreateAsyncScope();
    var sync = scope.ServiceProvider.GetRequiredService<VirtualAccountSync>();
    var total = Stopwatch.StartNew();
    var fetched = await sync.FetchAsync(account, credentials, CancellationToken.None);
    var kept = fetched.Active.Select(v => v.Name).ToHashSet(StringComparer.Ordinal);
    fetched = fetched with { Licenses = await scope.ServiceProvider.GetRequiredService<LicenseSync>().FetchAsync(account, credentials, kept, CancellationToken.None) };
    var fetchTime = total.Elapsed;
    // A store closes its sync's run: the run is claimed as the service would (a Running row), then stored in one transaction.
    var db = scope.ServiceProvider.GetRequiredService<SmartAccountSyncDbContext>();
    var jobId = Guid.NewGuid();
    var now = DateTimeOffset.UtcNow;
    db.SyncRuns.Add(new SyncRun { JobId = jobId, SmartAccountId = account.Id, Trigger = "Benchmark", StartedAt = now, HeartbeatAt = now });
    await db.SaveChangesAsync();
    await using var transaction = await db.Database.BeginTransactionAsync();
    var counts = await sync.StoreAsync(account, fetched, jobId, CancellationToken.None)
        ?? throw new InvalidOperationException("the benchmark's own run was not Running");
    await transaction.CommitAsync();
    total.Stop();
    if (print)
    {
        Console.WriteLine(
            $"  {label,-45} total {total.Elapsed.TotalMilliseconds,6:F0} ms (token+fetch {fetchTime.TotalMilliseconds,5:F0} ms, store {(total.Elapsed - fetchTime).TotalMilliseconds,5:F0} ms): " +
            $"{counts.VirtualAccounts:N0} kept, {counts.SkippedSatellite:N0} via satellite, +{counts.Added} ~{counts.Updated} -{counts.Removed}, {counts.LicenseLines:N0} license lines " +
            $"(+{counts.LicenseChanges.Added} ~{counts.LicenseChanges.Changed} -{counts.LicenseChanges.Removed})");
    }
}
