using HcsLicensing.Contracts.Jobs;
using HcsLicensing.SmartAccountSync.Licenses;
using HcsLicensing.SmartAccountSync.Tests.Support;

namespace HcsLicensing.SmartAccountSync.Tests.Licenses;

/// <summary>
/// The license report is a POST that only reads: the client retries it through CSSM's 5xx like a GET, and a CSSM failing
/// beyond the retries fails the sync at Fetch Licenses, restartable, storing nothing.
/// </summary>
public class LicenseSyncFaultTests
{
    [Test]
    public async Task A_burst_of_503s_on_the_license_report_is_retried_and_the_sync_succeeds()
    {
        await using var host = await SyncHost.StartAsync(virtualAccounts: 20);
        var configured = await host.ConfigureDemoAndWaitAsync();
        await host.Cssm.SetFaultsAsync(new { failNext = 3, failStatus = 503, burstPath = "/licenses" });

        var sync = await host.WaitForSyncAsync((await host.RequestSyncAsync(configured.SmartAccount.Id)).JobId);
        var lines = await host.GetAsync<VirtualAccountLicensesDto>($"/virtual-accounts/{Simulator.Domain}/HCS-CUST-0002/licenses");

        Assert.Multiple(async () =>
        {
            Assert.That(sync.Status, Is.EqualTo("Succeeded"), sync.Error);
            Assert.That(await host.Cssm.CallsAsync("POST", "/licenses", "503"), Is.EqualTo(3));
            Assert.That(await host.Cssm.CallsAsync("POST", "/licenses", "200"), Is.EqualTo(2), "the configuration's sync and this one, one page each");
            Assert.That(lines!.Licenses, Has.Count.EqualTo(3));
        });
    }

    [Test]
    public async Task CSSM_failing_the_license_report_beyond_the_retries_fails_the_sync_at_Fetch_Licenses_and_keeps_the_last_lines()
    {
        await using var host = await SyncHost.StartAsync(virtualAccounts: 20, settings: new Dictionary<string, string> { ["Cssm:MaxRetries"] = "1" });
        var configured = await host.ConfigureDemoAndWaitAsync();
        var before = await host.GetAsync<VirtualAccountLicensesDto>($"/virtual-accounts/{Simulator.Domain}/HCS-CUST-0004/licenses");
        await host.Cssm.RegisterProductInstanceAsync("HCS-CUST-0004", "cl4-delta", "CUCM");
        await host.Cssm.SetFaultsAsync(new { failNext = 100, failStatus = 500, burstPath = "/licenses" });

        var requested = await host.RequestSyncAsync(configured.SmartAccount.Id);
        var sync = await host.WaitForSyncAsync(requested.JobId);
        var failed = await host.Bus.WaitForAsync<JobFailed>(f => f.JobId == requested.JobId);
        var after = await host.GetAsync<VirtualAccountLicensesDto>($"/virtual-accounts/{Simulator.Domain}/HCS-CUST-0004/licenses");

        Assert.Multiple(() =>
        {
            Assert.That(sync.Status, Is.EqualTo("Failed"));
            Assert.That(failed.FailedStep, Is.EqualTo("Fetch Licenses"));
            Assert.That(failed.ErrorDescription, Does.Contain("HTTP 500"));
            Assert.That(failed.IsRestartable, Is.True);
            Assert.That(after!.Licenses.Select(l => l.InUse), Is.EqualTo(before!.Licenses.Select(l => l.InUse)), "a failed sync stores nothing");
            Assert.That(after.SyncedAt, Is.EqualTo(before.SyncedAt));
        });
    }
}
