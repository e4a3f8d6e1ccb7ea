using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using HcsLicensing.TestBed;
using HcsLicensing.TestBed.Suite;
using Microsoft.Playwright;

namespace HcsLicensing.Console.Tests;

/// <summary>The License findings page: run an audit, see the drift it found, repair it from its row.</summary>
public sealed class FindingsPageTests : ConsolePageTest
{
    private static readonly TimeSpan JobTimeout = TimeSpan.FromSeconds(90);
    private static readonly string[] OneLostRegistration = ["LostRegistration"];

    [Test]
    public async Task An_audit_run_from_the_page_shows_a_lost_registration_whose_repair_from_its_row_registers_the_cluster_again()
    {
        var cluster = Suite.TakeClusterNames(1)[0];
        await Suite.AddClustersToInventoryAsync([cluster]);
        var va = Account.VirtualAccounts[8];
        using (var clusterAssign = Suite.CreateClient(SuiteService.ClusterAssign))
        using (var assigned = await clusterAssign.PostAsJsonAsync(new Uri($"clusters/{cluster}/assignment", UriKind.Relative), new { smartAccountDomain = HcsSuite.SmartAccountDomain, virtualAccount = va }))
        {
            var assignment = await Suite.WaitForJobAsync((await assigned.Content.ReadFromJsonAsync<Accepted>())!.JobId, JobTimeout);
            Assert.That(assignment.Status, Is.EqualTo("Succeeded"), assignment.ErrorDescription);
        }

        await DeregisterAtClusterAsync(cluster); // the drift: someone deregistered it on the cluster itself

        await SignInAsync(SuiteConsole.Operator, "findings");
        var runAudit = Page.GetByRole(AriaRole.Button, new() { Name = "Run audit now" });
        await Expect(runAudit).ToBeEnabledAsync(); // the circuit is up
        await Page.GetByLabel("Cluster", new() { Exact = true }).FillAsync(cluster);
        await Page.GetByLabel("Cluster", new() { Exact = true }).PressAsync("Tab");
        await runAudit.ClickAsync();
        var auditJob = Page.GetByTestId("audit-job");
        await Expect(auditJob).ToContainTextAsync("Succeeded", new() { Timeout = 90_000 });
        var auditLink = await auditJob.GetByRole(AriaRole.Link).GetAttributeAsync("href");

        var row = Page.Locator($"table[data-table='findings'] tbody tr[data-cluster='{cluster}']");
        await Expect(row).ToHaveCountAsync(1);
        await ScreenshotAsync("findings-lost-registration");
        var cells = await row.Locator("td, th").AllInnerTextsAsync();
        var csv = await (await Page.Context.APIRequest.GetAsync(new Uri(Console, $"findings/export.csv?cluster={cluster}").ToString())).TextAsync();
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        await row.GetByRole(AriaRole.Button, new() { Name = $"Repair LostRegistration of {cluster}" }).ClickAsync();
        var repairLink = Page.Locator($".started li[data-cluster='{cluster}'] a");
        await Expect(repairLink).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await ScreenshotAsync("findings-repair-started");
        var repairHref = await repairLink.GetAttributeAsync("href");
        var repairJob = await Suite.WaitForJobAsync(Guid.Parse(repairHref!["jobs/".Length..]), JobTimeout);
        var uc = await Suite.GetUcClusterAsync(cluster);

        Assert.Multiple(() =>
        {
            Assert.That(auditLink, Does.Match("^jobs/[0-9a-f-]{36}$"), "the audit's job is linked");
            Assert.That(cells, Does.Contain("LostRegistration"));
            Assert.That(cells, Does.Contain("Critical"));
            Assert.That(cells, Has.Some.StartsWith(va), "the VA it was assigned to");
            Assert.That(cells, Has.Some.Contains("cluster: Unregistered"), "the cluster's own view in the evidence");
            Assert.That(lines[0], Does.StartWith("type,severity,cluster,"));
            Assert.That(lines.Skip(1).Select(l => l.Split(',')[0]), Is.EqualTo(OneLostRegistration), "the export holds the page's line");
            Assert.That(repairHref, Does.Match("^jobs/[0-9a-f-]{36}$"), "the repair job is linked");
            Assert.That(repairJob.Status, Is.EqualTo("Succeeded"), repairJob.ErrorDescription);
            Assert.That(uc!.Registration.State, Is.EqualTo("Registered"), "the repair registered the cluster again");
            Assert.That(uc.Registration.VirtualAccount, Is.EqualTo(va));
        });
    }

    /// <summary>Deregisters the cluster on its own publisher (its licensing API, its own credentials), as an admin on the cluster would.</summary>
    private async Task DeregisterAtClusterAsync(string cluster)
    {
        var publisher = (await Suite.GetInventoryClusterAsync(cluster))!.PublisherAddress;
        var (management, _) = HcsSuite.ClusterCredentials(cluster);
        using var client = Suite.CreateClient(SuiteService.UcSimulator);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"publishers/{publisher}/smartlicensing/deregister", UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{management.UserName}:{management.Password}")));
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }

    private sealed record Accepted(Guid JobId);
}
