using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using HcsLicensing.TestBed.Suite;
using Npgsql;

namespace HcsLicensing.BadInput.Tests;

/// <summary>
/// After a smart account was configured (CSSM client secret), a cluster entered (its management and platform
/// passwords) and assigned (a registration token obtained and used), a pg_dump of every service database holds none
/// of these values in clear: what a stolen backup would give an attacker.
/// </summary>
public partial class BadInputTests
{
    [Test]
    [Order(100)] // last: it changes the databases the malformed-input tests compare
    public async Task A_dump_of_every_service_database_holds_no_secret_in_clear()
    {
        var account = await _suite.ConfigureSmartAccountAsync();
        using (var clusterAssign = ApiClients.For(_suite, SuiteService.ClusterAssign))
        {
            using var accepted = await clusterAssign.PostAsJsonAsync(
                new Uri($"clusters/{_inventoryCluster}/assignment", UriKind.Relative),
                new { smartAccountDomain = HcsSuite.SmartAccountDomain, virtualAccount = account.VirtualAccounts[0], requestedBy = "dump-test" });
            var jobId = (await accepted.Content.ReadFromJsonAsync<JsonObject>())!["jobId"]!.GetValue<Guid>();
            var job = await _suite.WaitForJobAsync(jobId, TimeSpan.FromSeconds(90));
            Assert.That(job.Status, Is.EqualTo("Succeeded"), "the assignment used a registration token");
        }

        var (management, platform) = HcsSuite.ClusterCredentials(_inventoryCluster);
        using var cssm = new HttpClient { BaseAddress = _suite.AddressOf(SuiteService.CssmSimulator) };
        var tokens = (await cssm.GetFromJsonAsync<JsonArray>(new Uri("sim/inspect/registration-tokens", UriKind.Relative)))!
            .Select(t => (string)t!["token"]!["token"]!).Where(t => t.Length >= 16).ToList();
        var dumps = new Dictionary<SuiteService, string>();
        foreach (var service in new[] { SuiteService.Chpa, SuiteService.ClusterAssign, SuiteService.JobTracker, SuiteService.SmartAccountSync })
        {
            dumps[service] = await DumpAsync(_suite.DatabaseOf(service)!);
        }

        TestContext.Out.WriteLine($"dumped {dumps.Count} databases ({dumps.Values.Sum(d => d.Length)} characters); looked for the client secret, 2 passwords, {tokens.Count} registration tokens");
        Assert.Multiple(() =>
        {
            Assert.That(tokens, Is.Not.Empty, "CSSM issued registration tokens");
            foreach (var (service, dump) in dumps)
            {
                Assert.That(dump, Does.Contain("CREATE TABLE"), $"{service}: a real dump");
                Assert.That(dump, Does.Not.Contain(HcsSuite.CssmClientSecret), $"{service}: the CSSM client secret");
                Assert.That(dump, Does.Not.Contain(management.Password).And.Not.Contain(platform.Password), $"{service}: a UC password");
                if (service is SuiteService.Chpa or SuiteService.SmartAccountSync or SuiteService.ClusterAssign)
                {
                    // The key ring itself: each key's secret under the certificate, no master key in clear.
                    Assert.That(dump, Does.Contain("encryptedSecret").And.Not.Contain("<masterKey"), $"{service}: the key ring encrypted");
                }

                // ClusterAssign's register request carries a token only while it waits in the outbox, deleted once sent.
                Assert.That(tokens.Where(dump.Contains), Is.Empty, $"{service}: a registration token");
            }
        });
    }

    private static async Task<string> DumpAsync(string connectionString)
    {
        var database = new NpgsqlConnectionStringBuilder(connectionString);
        var start = new ProcessStartInfo(PgDump(), ["-h", database.Host!, "-p", database.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", database.Username!, "-d", database.Database!, "--no-owner"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["PGPASSWORD"] = database.Password ?? "";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.That(process.ExitCode, Is.Zero, await errors);
        return await output;
    }

    // The test bed's server is PostgreSQL 15 (LocalPostgres); pg_dump refuses a server newer than itself.
    private static readonly string[] PgDumps = ["/usr/lib/postgresql/15/bin/pg_dump", "/usr/lib/postgresql/16/bin/pg_dump", "/usr/lib/postgresql/17/bin/pg_dump"];

    private static string PgDump() => PgDumps.FirstOrDefault(File.Exists) ?? "pg_dump";
}
