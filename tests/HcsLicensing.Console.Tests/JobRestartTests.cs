using HcsLicensing.TestBed;
using HcsLicensing.TestBed.Suite;
using Microsoft.Playwright;

namespace HcsLicensing.Console.Tests;

/// <summary>A failed job shows why and what to do, and the operator restarts it from its page.</summary>
public sealed class JobRestartTests : ConsolePageTest
{
    [Test]
    public async Task A_job_failed_at_Registration_shows_its_error_and_a_restart_from_the_page_succeeds()
    {
        var cluster = Suite.TakeClusterNames(1)[0];
        await Suite.AddClustersToInventoryAsync([cluster]);
        // The publisher restarts longer than CHPA waits: Registration fails as timed out (restartable).
        await ConsoleSuite.SetKnobsAsync(Suite, cluster, new { restartSeconds = (int)ConsoleSuite.ChpaRegistrationDeadline.TotalSeconds + 3 });

        await SignInAsync(SuiteConsole.Operator, "clusters");
        await Page.GetByLabel("Virtual account", new() { Exact = true }).Last.FillAsync(Account.VirtualAccounts[3]);
        await Page.GetByRole(AriaRole.Button, new() { Name = $"Assign {cluster}", Exact = true }).ClickAsync();
        await Page.Locator($".started li[data-cluster='{cluster}'] a").ClickAsync(new() { Timeout = 90_000 });

        await Expect(Page.GetByTestId("job-status")).ToHaveTextAsync("Failed", new() { Timeout = 60_000 });
        await Expect(Page.GetByTestId("recommended-action")).ToContainTextAsync("restart");
        var error = await Page.GetByTestId("error").InnerTextAsync();
        await ScreenshotAsync("job-failed");

        // The publisher comes back quickly now; the restart resumes at Registration.
        await ConsoleSuite.SetKnobsAsync(Suite, cluster, new { restartSeconds = 0 });
        await Eventually.Poll(async () => (await Suite.GetUcClusterAsync(cluster))!.Restarting, restarting => !restarting, TimeSpan.FromSeconds(30));
        await Page.GetByRole(AriaRole.Button, new() { Name = "Restart" }).ClickAsync();
        await Expect(Page.GetByTestId("job-status")).ToHaveTextAsync("Succeeded", new() { Timeout = 60_000 });
        await ScreenshotAsync("job-restarted-succeeded");

        Assert.Multiple(async () =>
        {
            Assert.That(error, Does.Contain("chpaTimedOut"), "the error names why Registration failed");
            Assert.That(await Page.GetByTestId("error").CountAsync(), Is.Zero, "no error shown once the restart succeeded");
            Assert.That(await Page.GetByRole(AriaRole.Button, new() { Name = "Restart" }).CountAsync(), Is.Zero, "a succeeded job offers no restart");
        });
    }
}
