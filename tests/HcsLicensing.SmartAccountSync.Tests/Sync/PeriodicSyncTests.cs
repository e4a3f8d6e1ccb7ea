using HcsLicensing.SmartAccountSync.SmartAccounts;
using HcsLicensing.SmartAccountSync.Tests.Support;
using HcsLicensing.TestBed;

namespace HcsLicensing.SmartAccountSync.Tests.Sync;

/// <summary>Sync:Period: a smart account is synced again by itself once its last sync is that old.</summary>
public class PeriodicSyncTests
{
    [Test]
    public async Task A_smart_account_is_synced_again_each_period_and_picks_up_CSSM_changes()
    {
        await using var host = await SyncHost.StartAsync(virtualAccounts: 20, settings: new Dictionary<string, string>
        {
            ["Sync:Period"] = "00:00:03",
            ["Sync:CheckInterval"] = "00:00:00.500",
        });
        var configured = await host.ConfigureDemoAndWaitAsync();
        await host.Cssm.AddVirtualAccountAsync("HCS-PERIODIC");

        var account = await Eventually.Poll(
            () => host.GetAsync<SmartAccountDto>($"/smart-accounts/{configured.SmartAccount.Id}"),
            a => a?.LastSync is { Trigger: "Periodic", Status: "Succeeded" },
            TimeSpan.FromSeconds(30));

        Assert.Multiple(() =>
        {
            Assert.That(account?.LastSync?.Trigger, Is.EqualTo("Periodic"));
            Assert.That(account!.LastSync!.Added, Is.EqualTo(1));
            Assert.That(account.VirtualAccounts, Is.EqualTo(20 - 2 + 1));
        });
    }
}
