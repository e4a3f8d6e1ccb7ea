using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using HcsLicensing.ServiceDefaults.Security;
using HcsLicensing.TestBed.Suite;
using Microsoft.Playwright;

namespace HcsLicensing.Console.Tests;

/// <summary>A viewer (hcs.read only) sees everything and can do nothing: no action is shown, and the services refuse one anyway.</summary>
public sealed class ViewerTests : ConsolePageTest
{
    [Test]
    public async Task A_viewer_sees_clusters_and_jobs_without_action_buttons_and_a_direct_POST_with_a_viewer_token_is_refused()
    {
        var cluster = Suite.TakeClusterNames(1)[0];
        await Suite.AddClustersToInventoryAsync([cluster]);

        await SignInAsync(SuiteConsole.Viewer, "clusters");
        await Expect(Page.Locator($"tr[data-cluster='{cluster}']")).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("operator")).ToContainTextAsync(HcsPermissions.Read);
        var clustersPage = await CountActionsAsync();
        await ScreenshotAsync("viewer-clusters");

        await Page.GotoAsync(new Uri(Console, $"jobs/{Account.SyncJobId}").ToString());
        await Expect(Page.GetByTestId("job-status")).ToHaveTextAsync("Succeeded");
        var jobPage = await CountActionsAsync();
        await Page.GotoAsync(new Uri(Console, "smart-accounts").ToString());
        await Expect(Page.Locator($"tr[data-smart-account='{HcsSuite.SmartAccountDomain}']")).ToBeVisibleAsync();
        var smartAccountsPage = await CountActionsAsync();
        await ScreenshotAsync("viewer-smart-accounts");

        using var viewer = Suite.CreateClient(SuiteService.ClusterAssign, [HcsPermissions.Read]);
        using var refused = await viewer.PostAsJsonAsync(
            new Uri($"clusters/{cluster}/assignment", UriKind.Relative),
            new { smartAccountDomain = HcsSuite.SmartAccountDomain, virtualAccount = Account.VirtualAccounts[4] });

        Assert.Multiple(async () =>
        {
            Assert.That(clustersPage, Is.Zero, "no assign, reassign, unassign or selection on the Clusters page");
            Assert.That(jobPage, Is.Zero, "no restart or cancel on a job");
            Assert.That(smartAccountsPage, Is.Zero, "no sync now, connect or transport form");
            Assert.That(await Page.GetByTestId("operator").InnerTextAsync(), Does.Not.Contain(HcsPermissions.Operate));
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "ClusterAssign refuses an assignment with a viewer's token");
            Assert.That(await refused.Content.ReadAsStringAsync(), Does.Contain(HcsPermissions.Operate), "the problem names the missing permission");
            Assert.That((await Suite.GetUcClusterAsync(cluster))!.Registration.VirtualAccount, Is.Null.Or.Not.EqualTo(Account.VirtualAccounts[4]), "the cluster was not assigned");
        });
    }

    /// <summary>Buttons that change something, selection boxes and the secret's field (Refresh, Search and Sign out aside).</summary>
    private async Task<int> CountActionsAsync() =>
        await Page.GetByRole(AriaRole.Button, new() { NameRegex = Changes }).CountAsync()
        + await Page.Locator("main input[type=checkbox]").CountAsync()
        + await Page.GetByLabel("Client secret").CountAsync();

    private static readonly Regex Changes = new("^(Assign|Reassign|Unassign|Restart|Cancel|Sync|Connect|Save)", RegexOptions.None, TimeSpan.FromSeconds(1));
}
