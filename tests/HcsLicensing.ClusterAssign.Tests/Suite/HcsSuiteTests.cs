using System.Diagnostics;
using System.Net;
using HcsLicensing.TestBed.Suite;

namespace HcsLicensing.ClusterAssign.Tests.Suite;

/// <summary>
/// The end-to-end fixture itself: the six processes start and talk to each other, a smart account syncs, clusters
/// enter CHPA's inventory, and CHPA survives a crash with its data and its address; nothing outlives the suite.
/// </summary>
public class HcsSuiteTests
{
    [Test]
    public async Task A_suite_syncs_a_smart_account_keeps_CHPAs_inventory_across_a_CHPA_crash_and_leaves_no_process_behind()
    {
        var suite = await HcsSuite.StartAsync(SuiteOptions.Fast);
        IReadOnlyDictionary<SuiteService, int> processIds;
        try
        {
            await TestContext.Out.WriteLineAsync($"StartAsync took {suite.StartupTime.TotalSeconds:F1} s: " +
                string.Join(", ", suite.ReadyAfter.OrderBy(p => p.Value).Select(p => $"{p.Key} ready after {p.Value.TotalSeconds:F1} s")));

            var account = await suite.ConfigureSmartAccountAsync();
            var clusters = suite.TakeClusterNames(3);
            await suite.AddClustersToInventoryAsync(clusters);
            var listedBefore = (await suite.GetInventoryAsync()).Select(c => c.Name).ToList();

            var chpaAddress = suite.AddressOf(SuiteService.Chpa);
            using var chpa = suite.CreateClient(SuiteService.Chpa);
            await suite.KillAsync(SuiteService.Chpa);
            var answeredWhileKilled = await AnswersAsync(chpa);
            var clock = Stopwatch.StartNew();
            await suite.StartAsync(SuiteService.Chpa);
            await TestContext.Out.WriteLineAsync($"CHPA restarted and ready in {clock.Elapsed.TotalSeconds:F1} s");
            using var ready = await chpa.GetAsync(new Uri("health/ready", UriKind.Relative));
            var listedAfter = (await suite.GetInventoryAsync()).Select(c => c.Name).ToList();

            Assert.Multiple(() =>
            {
                Assert.That(account.SyncJob.Status, Is.EqualTo("Succeeded"), "JobTracker shows the smart account's sync job Succeeded");
                Assert.That(account.SyncJob.EntityName, Is.EqualTo(HcsSuite.SmartAccountName));
                Assert.That(account.VirtualAccounts, Does.Contain("HCS-CUST-0001"), "SmartAccountSync lists the synced VAs");
                Assert.That(account.VirtualAccountCount, Is.EqualTo(45), "50 seeded VAs less the 5 satellite-synced ones");
                Assert.That(account.SatelliteVirtualAccount, Is.Not.Null.And.Not.AnyOf(account.VirtualAccounts.ToArray()));
                Assert.That(listedBefore, Is.SupersetOf(clusters), "CHPA lists the three clusters added");
                Assert.That(answeredWhileKilled, Is.False, "the killed CHPA answers nothing");
                Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the restarted CHPA is ready");
                Assert.That(suite.AddressOf(SuiteService.Chpa), Is.EqualTo(chpaAddress), "on the same port as before");
                Assert.That(listedAfter, Is.SupersetOf(clusters), "the restarted CHPA still lists them: same database");
            });

            processIds = suite.ProcessIds;
            Assert.That(processIds.Keys, Is.EquivalentTo(Enum.GetValues<SuiteService>().Where(s => s != SuiteService.Console)), "the seven processes running (no console unless asked for)");
        }
        finally
        {
            await suite.DisposeAsync();
        }

        Assert.That(processIds.Where(p => IsAlive(p.Value)).Select(p => p.Key), Is.Empty, "no suite process outlives DisposeAsync");
    }

    private static async Task<bool> AnswersAsync(HttpClient client)
    {
        try
        {
            using var response = await client.GetAsync(new Uri("health/live", UriKind.Relative));
            return true;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
