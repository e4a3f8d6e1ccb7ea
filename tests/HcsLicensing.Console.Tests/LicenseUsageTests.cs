using System.Globalization;
using System.Net.Http.Json;
using HcsLicensing.TestBed.Suite;
using Microsoft.Playwright;

namespace HcsLicensing.Console.Tests;

/// <summary>The License usage page shows a VA's consumption moving once a cluster registered there and the account synced.</summary>
public sealed class LicenseUsageTests : ConsolePageTest
{
    [Test]
    public async Task After_an_assignment_and_Sync_now_the_VA_s_license_usage_shows_the_cluster_s_consumption_and_exports_it()
    {
        var cluster = Suite.TakeClusterNames(1)[0];
        await Suite.AddClustersToInventoryAsync([cluster]);
        var va = Account.VirtualAccounts[5];
        var before = await InUseAsync(va);
        using (var clusterAssign = Suite.CreateClient(SuiteService.ClusterAssign))
        using (var assigned = await clusterAssign.PostAsJsonAsync(new Uri($"clusters/{cluster}/assignment", UriKind.Relative), new { smartAccountDomain = HcsSuite.SmartAccountDomain, virtualAccount = va }))
        {
            var job = (await assigned.Content.ReadFromJsonAsync<Accepted>())!;
            Assert.That((await Suite.WaitForJobAsync(job.JobId, TimeSpan.FromSeconds(60))).Status, Is.EqualTo("Succeeded"));
        }

        await SignInAsync(SuiteConsole.Operator, "smart-accounts");
        await Page.GetByRole(AriaRole.Button, new() { Name = $"Sync {HcsSuite.SmartAccountName} now" }).ClickAsync();
        var syncLink = Page.GetByRole(AriaRole.Link, new() { Name = "Follow its job" });
        var syncJob = Guid.Parse((await syncLink.GetAttributeAsync("href"))!["jobs/".Length..]);
        Assert.That((await Suite.WaitForJobAsync(syncJob, TimeSpan.FromSeconds(60))).Status, Is.EqualTo("Succeeded"), "the sync now job");

        await Page.GotoAsync(new Uri(Console, $"licenses?domain={HcsSuite.SmartAccountDomain}&va={va}").ToString());
        var inUseCells = await Page.Locator("table[data-table='va-licenses'] tbody tr td:nth-of-type(2)").AllInnerTextsAsync();
        var shown = inUseCells.Sum(text => long.Parse(text, CultureInfo.InvariantCulture));
        await ScreenshotAsync("license-usage");
        await ScreenshotAsync("license-usage-screen", wholePage: false);
        var csv = await Page.Context.APIRequest.GetAsync(new Uri(Console, $"licenses/export/virtual-account.csv?domain={HcsSuite.SmartAccountDomain}&va={va}").ToString());
        var csvText = await csv.TextAsync();
        var after = await InUseAsync(va);

        Assert.Multiple(() =>
        {
            Assert.That(after, Is.GreaterThan(before), "SmartAccountSync's synced usage grew with the registration");
            Assert.That(shown, Is.EqualTo(after), "the page shows what SmartAccountSync reports");
            Assert.That(csv.Status, Is.EqualTo(200));
            Assert.That(csvText, Does.StartWith("license,quantity,inUse,available,"), "the CSV's header");
            Assert.That(csvText.Split("\r\n", StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(inUseCells.Count + 1), "one CSV line per license line shown");
        });
    }

    private async Task<long> InUseAsync(string va)
    {
        using var client = Suite.CreateClient(SuiteService.SmartAccountSync);
        var licenses = await client.GetFromJsonAsync<VaLicenses>(new Uri($"virtual-accounts/{HcsSuite.SmartAccountDomain}/{va}/licenses", UriKind.Relative));
        return licenses!.Licenses.Sum(l => l.InUse);
    }

    private sealed record Accepted(Guid JobId);

    private sealed record VaLicenses(IReadOnlyList<Line> Licenses);

    private sealed record Line(string License, long InUse);
}
