using HcsLicensing.Contracts.Jobs;
using HcsLicensing.SmartAccountSync.Tests.Support;

namespace HcsLicensing.SmartAccountSync.Tests.Cssm;

/// <summary>The CSSM clients under stress: expiring and revoked bearer tokens, throttling and server errors.</summary>
public class CssmResilienceTests
{
    [Test]
    public async Task A_burst_of_429s_and_5xx_is_survived_and_the_sync_completes()
    {
        await using var host = await SyncHost.StartAsync();
        var configured = await host.ConfigureDemoAndWaitAsync();
        await host.Cssm.AddVirtualAccountAsync("HCS-AFTER-STORM");
        await host.Cssm.SetFaultsAsync(new { throttleNext = 3, retryAfterSeconds = 1, failNext = 2, failStatus = 503 });

        var requested = await host.RequestSyncAsync(configured.SmartAccount.Id);
        var sync = await host.WaitForSyncAsync(requested.JobId);

        Assert.Multiple(async () =>
        {
            Assert.That(sync.Status, Is.EqualTo("Succeeded"), sync.Error);
            Assert.That(sync.Added, Is.EqualTo(1));
            Assert.That(await host.Cssm.CallsAsync("GET", "/virtual-accounts", "429"), Is.EqualTo(3));
            Assert.That(await host.Cssm.CallsAsync("GET", "/virtual-accounts", "503"), Is.EqualTo(2));
            Assert.That(await host.Cssm.CallsAsync("GET", "/virtual-accounts", "200"), Is.EqualTo(2), "the configuration's sync and this one");
        });
    }

    [Test]
    public async Task CSSM_failing_beyond_the_retries_fails_the_job_with_the_reason()
    {
        await using var host = await SyncHost.StartAsync(virtualAccounts: 20, settings: new Dictionary<string, string> { ["Cssm:MaxRetries"] = "2" });
        var configured = await host.ConfigureDemoAndWaitAsync();
        await host.Cssm.SetFaultsAsync(new { failNext = 10, failStatus = 500 });

        var requested = await host.RequestSyncAsync(configured.SmartAccount.Id);
        var sync = await host.WaitForSyncAsync(requested.JobId);
        var failed = await host.Bus.WaitForAsync<JobFailed>(j => j.JobId == requested.JobId);

        Assert.Multiple(() =>
        {
            Assert.That(sync.Status, Is.EqualTo("Failed"));
            Assert.That(failed.FailedStep, Is.EqualTo("Fetch Virtual Accounts"));
            Assert.That(failed.ErrorDescription, Does.Contain("HTTP 500"));
            Assert.That(failed.RecommendedAction, Does.Contain("CSSM is reachable"));
        });
    }

    [Test]
    public async Task The_bearer_token_is_reused_until_shortly_before_expiry_then_renewed()
    {
        // 12 s tokens: renewed at half their life (6 s), since the 5 minute margin exceeds it.
        var clock = new ShiftedClock();
        await using var host = await SyncHost.StartAsync(virtualAccounts: 20, tokenLifetimeSeconds: 12, clock: clock);
        var configured = await host.ConfigureDemoAndWaitAsync();
        var afterConfiguration = (int)(await host.Cssm.OAuthAsync())["tokensIssued"]![Simulator.ClientId]!;

        await host.WaitForSyncAsync((await host.RequestSyncAsync(configured.SmartAccount.Id)).JobId);
        var reused = (int)(await host.Cssm.OAuthAsync())["tokensIssued"]![Simulator.ClientId]!;
        // Past half the token's life, for SmartAccountSync and for CSSM alike: the cache must renew it.
        clock.Advance(TimeSpan.FromSeconds(6.5));
        await host.Cssm.ControlAsync("clock/advance", new { seconds = 6.5 });
        await host.WaitForSyncAsync((await host.RequestSyncAsync(configured.SmartAccount.Id)).JobId);
        var oauth = await host.Cssm.OAuthAsync();

        Assert.Multiple(() =>
        {
            Assert.That(afterConfiguration, Is.EqualTo(1), "the credentials check's token serves the first sync too");
            Assert.That(reused, Is.EqualTo(1), "a sync within the token's life reuses it");
            Assert.That((int)oauth["tokensIssued"]![Simulator.ClientId]!, Is.EqualTo(2), "renewed once near expiry");
            Assert.That((int)oauth["rejectedBearers"]!, Is.Zero, "renewed before CSSM refused it");
        });
    }

    [Test]
    public async Task A_revoked_bearer_token_is_refreshed_once_on_401_and_the_sync_completes()
    {
        await using var host = await SyncHost.StartAsync(virtualAccounts: 20);
        var configured = await host.ConfigureDemoAndWaitAsync();
        await host.Cssm.ControlAsync("oauth/revoke");

        var sync = await host.WaitForSyncAsync((await host.RequestSyncAsync(configured.SmartAccount.Id)).JobId);
        var oauth = await host.Cssm.OAuthAsync();

        Assert.Multiple(async () =>
        {
            Assert.That(sync.Status, Is.EqualTo("Succeeded"), sync.Error);
            Assert.That((int)oauth["rejectedBearers"]!, Is.EqualTo(1), "one 401 on the revoked token");
            Assert.That((int)oauth["tokensIssued"]![Simulator.ClientId]!, Is.EqualTo(2), "one fresh token after it");
            Assert.That(await host.Cssm.CallsAsync("GET", "/virtual-accounts", "200"), Is.EqualTo(2));
        });
    }
}
