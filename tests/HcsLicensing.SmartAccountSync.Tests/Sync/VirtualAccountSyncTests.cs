using HcsLicensing.Contracts.Jobs;
using HcsLicensing.Contracts.SmartAccounts;
using HcsLicensing.SmartAccountSync.Cssm;
using HcsLicensing.SmartAccountSync.Data;
using HcsLicensing.SmartAccountSync.SmartAccounts;
using HcsLicensing.SmartAccountSync.Sync;
using HcsLicensing.SmartAccountSync.Tests.Support;
using HcsLicensing.SmartAccountSync.VirtualAccounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HcsLicensing.SmartAccountSync.Tests.Sync;

/// <summary>Syncing VAs from CSSM: all of them, satellite ones ignored, changes in CSSM followed, on demand by HTTP and message.</summary>
public class VirtualAccountSyncTests
{
    private SyncHost host = null!;

    [SetUp]
    public async Task Start() => host = await SyncHost.StartAsync();

    [TearDown]
    public async Task Stop() => await host.DisposeAsync();

    [Test]
    public async Task All_1285_VAs_are_synced_except_the_satellite_ones()
    {
        var configured = await host.ConfigureDemoAndWaitAsync();
        var satellite = await host.Cssm.SatelliteNamesAsync();
        var synced = await host.Bus.WaitForAsync<VirtualAccountsSynced>(e => e.JobId == configured.SyncJobId);
        var all = await host.VirtualAccountsAsync("pageSize=500&page=3");
        var aSatelliteOne = await host.VirtualAccountsAsync($"name={satellite[0]}");
        var fetchStep = await host.Bus.WaitForAsync<JobStepChanged>(s => s.JobId == configured.SyncJobId && s.Step == "Fetch Virtual Accounts" && s.Status == JobStepStatus.Pass);

        Assert.Multiple(() =>
        {
            Assert.That(satellite, Has.Count.EqualTo(128));
            Assert.That(synced.VirtualAccounts, Is.EqualTo(1285 - 128));
            Assert.That(synced.Added, Is.EqualTo(1285 - 128));
            Assert.That(synced.SkippedSatellite, Is.EqualTo(128));
            Assert.That(all.TotalCount, Is.EqualTo(1157), "the Virtual Account Summary lists them all, satellite ones left out");
            Assert.That(all.Items, Has.Count.EqualTo(1157 - 1000), "third page of 500");
            Assert.That(aSatelliteOne.TotalCount, Is.Zero);
            Assert.That(fetchStep.Detail, Is.EqualTo("1285 virtual accounts in CSSM, 128 synced via satellite (ignored)"));
        });
    }

    [Test]
    public async Task A_resync_adds_new_VAs_marks_removed_ones_and_leaves_the_rest_untouched()
    {
        var configured = await host.ConfigureDemoAndWaitAsync();
        var before = (await host.VirtualAccountsAsync("name=HCS-CUST-0002")).Items.Single();
        await host.Cssm.AddVirtualAccountAsync("HCS-NEW-A", "PRIVATE");
        await host.Cssm.AddVirtualAccountAsync("HCS-NEW-B");
        await host.Cssm.AddVirtualAccountAsync("HCS-NEW-SAT", satellite: true);
        await host.Cssm.RemoveVirtualAccountAsync("HCS-CUST-0003");

        var requested = await host.RequestSyncAsync(configured.SmartAccount.Id);
        var sync = await host.WaitForSyncAsync(requested.JobId);
        var added = await host.VirtualAccountsAsync("name=HCS-NEW");
        var gone = await host.VirtualAccountsAsync("name=HCS-CUST-0003");
        var goneIncluded = await host.VirtualAccountsAsync("name=HCS-CUST-0003&includeRemoved=true");
        var after = await host.GetAsync<VirtualAccountDto>($"/virtual-accounts/{before.Id}");

        Assert.Multiple(() =>
        {
            Assert.That(requested.Joined, Is.False);
            Assert.That((sync.Status, sync.Trigger), Is.EqualTo(("Succeeded", "Http")));
            Assert.That((sync.Added, sync.Updated, sync.Removed, sync.SkippedSatellite), Is.EqualTo((2, 0, 1, 129)));
            Assert.That(sync.VirtualAccounts, Is.EqualTo(1157 + 2 - 1));
            Assert.That(added.Items.Select(v => (v.Name, v.AccessLevel)), Is.EqualTo(new[] { ("HCS-NEW-A", "PRIVATE"), ("HCS-NEW-B", "PUBLIC") }));
            Assert.That(gone.TotalCount, Is.Zero);
            Assert.That(goneIncluded.Items.Single().RemovedAt, Is.Not.Null);
            Assert.That(after, Is.EqualTo(before), "an unchanged VA keeps its id and is not rewritten");
        });
    }

    [Test]
    public async Task A_SyncVirtualAccounts_message_from_another_service_runs_a_sync()
    {
        var configured = await host.ConfigureDemoAndWaitAsync();
        await host.Cssm.AddVirtualAccountAsync("HCS-BY-MESSAGE");

        await host.Bus.SendSyncAsync(Simulator.Domain);
        var synced = await host.Bus.WaitForAsync<VirtualAccountsSynced>(e => e.SmartAccountId == configured.SmartAccount.Id && e.JobId != configured.SyncJobId);
        var succeeded = await host.Bus.WaitForAsync<JobSucceeded>(j => j.JobId == synced.JobId);

        Assert.Multiple(() =>
        {
            Assert.That(synced.Added, Is.EqualTo(1));
            Assert.That(succeeded.Description, Is.EqualTo("Sync of the virtual accounts of Smart Account HCS-DEMO completed"));
        });
    }

    [Test]
    public async Task Concurrent_sync_requests_give_one_sync_that_all_of_them_join()
    {
        var configured = await host.ConfigureDemoAndWaitAsync();
        var listCallsBefore = await host.Cssm.CallsAsync("GET", "/virtual-accounts");
        // A slow CSSM keeps the sync running while the other requests arrive.
        await host.Cssm.SetFaultsAsync(new { latencyMs = 1500 });

        var requests = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => host.RequestSyncAsync(configured.SmartAccount.Id)));
        await host.Bus.SendSyncAsync(Simulator.Domain);
        await host.WaitForSyncAsync(requests[0].JobId);
        var listCallsAfter = await host.Cssm.CallsAsync("GET", "/virtual-accounts");

        Assert.Multiple(() =>
        {
            Assert.That(requests.Select(r => r.JobId).Distinct().Count(), Is.EqualTo(1), "every request names the same job");
            Assert.That(requests.Count(r => !r.Joined), Is.EqualTo(1), "one started it, the others joined");
            Assert.That(listCallsAfter - listCallsBefore, Is.EqualTo(1), "CSSM's VA list was fetched once");
        });
    }

    [Test]
    public async Task A_sync_taken_for_abandoned_cannot_overwrite_the_newer_sync_that_followed_it()
    {
        var configured = await host.ConfigureDemoAndWaitAsync();
        var accountId = configured.SmartAccount.Id;
        // A sync whose instance looked dead: Running, no heartbeat for an hour. Its CSSM answer, one VA, is old news.
        var stale = Guid.NewGuid();
        var anHourAgo = DateTimeOffset.UtcNow.AddHours(-1);
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SmartAccountSyncDbContext>();
            db.SyncRuns.Add(new SyncRun { JobId = stale, SmartAccountId = accountId, Trigger = "Message", StartedAt = anHourAgo, HeartbeatAt = anHourAgo });
            await db.SaveChangesAsync();
        }

        var newer = await host.RequestSyncAsync(accountId);
        var newerSync = await host.WaitForSyncAsync(newer.JobId);
        var staleFailed = await host.Bus.WaitForAsync<JobFailed>(j => j.JobId == stale);

        SyncCounts? lateStore;
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SmartAccountSyncDbContext>();
            var account = await db.SmartAccounts.AsNoTracking().SingleAsync(a => a.Id == accountId);
            var oldAnswer = new FetchedVirtualAccounts([new SwapiVirtualAccount("HCS-CUST-0002", null, false, "PUBLIC", false)], []);
            await using var transaction = await db.Database.BeginTransactionAsync();
            lateStore = await scope.ServiceProvider.GetRequiredService<VirtualAccountSync>().StoreAsync(account, oldAnswer, stale, CancellationToken.None);
            await transaction.CommitAsync();
        }

        var listed = await host.VirtualAccountsAsync();
        var staleSync = await host.GetAsync<SyncDto>($"/syncs/{stale}");
        Assert.Multiple(() =>
        {
            Assert.That(newer.Joined, Is.False, "the stale run was closed, not joined");
            Assert.That(newerSync.Status, Is.EqualTo("Succeeded"));
            Assert.That(staleFailed.ErrorDescription, Does.Contain("stopped making progress"));
            Assert.That(lateStore, Is.Null, "the late result was refused");
            Assert.That(listed.TotalCount, Is.EqualTo(1157), "the newer sync's VAs stand");
            Assert.That(staleSync?.Status, Is.EqualTo("Failed"));
        });
    }
}
