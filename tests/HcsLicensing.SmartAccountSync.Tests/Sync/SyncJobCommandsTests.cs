using HcsLicensing.Contracts.Jobs;
using HcsLicensing.SmartAccountSync.SmartAccounts;
using HcsLicensing.SmartAccountSync.Tests.Support;

namespace HcsLicensing.SmartAccountSync.Tests.Sync;

/// <summary>
/// A sync job answers JobTracker's restart and cancel (the JobRestartRequested and JobCancelRequested JobTracker
/// publishes once it accepted an operator's command, published here as it would): a failed sync runs again as the next
/// attempt, a running one stops.
/// </summary>
public class SyncJobCommandsTests
{
    [Test]
    public async Task A_sync_failed_while_CSSM_was_failing_is_restarted_once_CSSM_is_healed_and_succeeds_as_attempt_2()
    {
        await using var host = await SyncHost.StartAsync(virtualAccounts: 25, settings: new Dictionary<string, string> { ["Cssm:MaxRetries"] = "1" });
        var configured = await host.ConfigureDemoAndWaitAsync();
        await host.Cssm.SetFaultsAsync(new { failNext = 1000, failStatus = 503 });
        var failedSync = await host.WaitForSyncAsync((await host.RequestSyncAsync(configured.SmartAccount.Id)).JobId);
        var failed = await host.Bus.WaitForAsync<JobFailed>(f => f.JobId == failedSync.JobId);

        await host.Cssm.SetFaultsAsync(new { failNext = 0 });
        await host.Bus.PublishAsync(new JobRestartRequested { JobId = failedSync.JobId, Attempt = 2, FromStep = failed.FailedStep, RequestedBy = "operator@hcs" });
        var succeeded = await host.Bus.WaitForAsync<JobSucceeded>(s => s.JobId == failedSync.JobId);
        var restarted = await host.GetAsync<SyncDto>($"/syncs/{failedSync.JobId}");

        Assert.Multiple(() =>
        {
            Assert.That(failedSync.Status, Is.EqualTo("Failed"));
            Assert.That(failed.Attempt, Is.EqualTo(1));
            Assert.That(failed.IsRestartable, Is.True, "every sync job is restartable");
            Assert.That(failed.FailedStep, Is.EqualTo("Fetch Virtual Accounts"));
            Assert.That(succeeded.Attempt, Is.EqualTo(2));
            Assert.That(restarted!.Status, Is.EqualTo("Succeeded"));
            Assert.That(restarted.Attempt, Is.EqualTo(2));
            Assert.That(restarted.Error, Is.Null);
            Assert.That(restarted.VirtualAccounts + restarted.SkippedSatellite, Is.EqualTo(25));
            Assert.That(host.Bus.Received<JobStepChanged>().Where(s => s.JobId == failedSync.JobId && s.Attempt == 2).Select(s => s.Step).Distinct(),
                Is.EquivalentTo(new[] { "Authentication", "Fetch Virtual Accounts", "Fetch Licenses", "Update Virtual Accounts" }), "attempt 2 reports its steps as attempt 2");
            Assert.That(host.Bus.Received<JobCreated>().Count(c => c.JobId == failedSync.JobId), Is.EqualTo(1), "the restart is the same job");
        });
    }

    [Test]
    public async Task A_running_sync_is_canceled_and_releases_the_smart_account_for_the_next_sync()
    {
        await using var host = await SyncHost.StartAsync(virtualAccounts: 25, settings: new Dictionary<string, string> { ["Sync:CancelCheckInterval"] = "00:00:00.200" });
        var configured = await host.ConfigureDemoAndWaitAsync();
        // CSSM answers the VA list only after 10 s: the sync is In Progress at Fetch Virtual Accounts meanwhile.
        await host.Cssm.SetFaultsAsync(new { latencyMs = 10000 });
        var jobId = (await host.RequestSyncAsync(configured.SmartAccount.Id)).JobId;
        var created = await host.Bus.WaitForAsync<JobCreated>(c => c.JobId == jobId);
        await host.Bus.WaitForAsync<JobStepChanged>(s => s.JobId == jobId && s.Step == "Fetch Virtual Accounts" && s.Status == JobStepStatus.Inprogress);

        await host.Bus.PublishAsync(new JobCancelRequested { JobId = jobId, Attempt = 1, RequestedBy = "operator@hcs" });
        var canceled = await host.Bus.WaitForAsync<JobCanceled>(c => c.JobId == jobId, TimeSpan.FromSeconds(9));
        var sync = await host.GetAsync<SyncDto>($"/syncs/{jobId}");
        await host.Cssm.SetFaultsAsync(new { latencyMs = 0 });
        var next = await host.RequestSyncAsync(configured.SmartAccount.Id);
        var nextSync = await host.WaitForSyncAsync(next.JobId);

        Assert.Multiple(() =>
        {
            Assert.That(created.IsCancelable, Is.True);
            Assert.That(canceled.Attempt, Is.EqualTo(1));
            Assert.That(canceled.Reason, Is.EqualTo("Canceled by operator@hcs during Fetch Virtual Accounts"));
            Assert.That(sync!.Status, Is.EqualTo("Canceled"));
            Assert.That(host.Bus.Received<JobFailed>().Where(f => f.JobId == jobId), Is.Empty, "canceled, not failed");
            Assert.That(next.Joined, Is.False, "the canceled sync no longer holds the smart account");
            Assert.That(nextSync.Status, Is.EqualTo("Succeeded"));
        });
    }
}
