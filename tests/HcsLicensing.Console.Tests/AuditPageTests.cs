using System.Net.Http.Json;
using HcsLicensing.TestBed;
using HcsLicensing.TestBed.Suite;
using Microsoft.Playwright;

namespace HcsLicensing.Console.Tests;

/// <summary>The Audit page: who added a cluster and who started a job on it, newest first, filtered, exported.</summary>
public sealed class AuditPageTests : ConsolePageTest
{
    private static readonly string[] NewestFirst = ["Job started", "Configuration changed"];

    [Test]
    public async Task The_audit_page_lists_who_added_a_cluster_and_who_assigned_it_filters_them_and_exports_the_same_lines()
    {
        var cluster = Suite.TakeClusterNames(1)[0];
        await Suite.AddClustersToInventoryAsync([cluster]); // a configuration change, by the suite's API client
        Guid jobId;
        using (var clusterAssign = Suite.CreateClient(SuiteService.ClusterAssign))
        using (var assigned = await clusterAssign.PostAsJsonAsync(new Uri($"clusters/{cluster}/assignment", UriKind.Relative), new { smartAccountDomain = HcsSuite.SmartAccountDomain, virtualAccount = Account.VirtualAccounts[6] }))
        {
            jobId = (await assigned.Content.ReadFromJsonAsync<Accepted>())!.JobId;
        }

        // The audit trail's own queue writes the entries: wait until JobTracker lists both.
        using (var jobTracker = Suite.CreateClient(SuiteService.JobTracker))
        {
            await Eventually.Poll(
                async () => (await jobTracker.GetFromJsonAsync<AuditPage>(new Uri($"audit?entity={cluster}", UriKind.Relative)))!.TotalCount,
                count => count == 2,
                TimeSpan.FromSeconds(30));
        }

        await SignInAsync(SuiteConsole.Operator, "audit");
        await Page.GetByLabel("Who (exact name)").FillAsync(HcsSuite.IssuerClientId);
        await Page.GetByLabel("Entity (part of a name or type)").FillAsync(cluster);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        var rows = Page.Locator("table[data-table='audit'] tbody tr");
        await Expect(rows).ToHaveCountAsync(2);
        await ScreenshotAsync("audit");
        var cells = await rows.EvaluateAllAsync<string[][]>("rows => rows.map(r => [...r.cells].map(c => c.innerText.trim()))");
        var jobLink = await rows.Nth(0).GetByRole(AriaRole.Link).GetAttributeAsync("href");
        var csv = await (await Page.Context.APIRequest.GetAsync(new Uri(Console, $"audit/export.csv?actor={HcsSuite.IssuerClientId}&entity={cluster}").ToString())).TextAsync();
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        await Page.GotoAsync(new Uri(Console, "audit?from=yesterday").ToString());
        var refusal = await Page.GetByRole(AriaRole.Alert).First.InnerTextAsync();

        Assert.Multiple(() =>
        {
            Assert.That(cells.Select(c => (c[1], c[2])), Is.EqualTo(new[] { (HcsSuite.IssuerClientId, "Job started"), (HcsSuite.IssuerClientId, "Configuration changed") }), "newest first: who and what");
            Assert.That(cells[0][3], Is.EqualTo($"Cluster {cluster}"));
            Assert.That(cells[1][4], Does.StartWith("Cluster added:").And.Contains("publisher"));
            Assert.That(cells[1][5], Is.EqualTo("Chpa"));
            Assert.That(jobLink, Is.EqualTo($"jobs/{jobId}"), "a job's entry links to the job");
            Assert.That(lines[0], Is.EqualTo("at,actor,action,service,entityType,entityName,detail,jobId"));
            Assert.That(lines.Skip(1).Select(l => l.Split(',')[2]), Is.EqualTo(NewestFirst), "the export holds the page's lines");
            Assert.That(refusal, Does.Contain("from").And.Contain("ISO 8601"), "JobTracker's refusal names the field");
        });
    }

    private sealed record Accepted(Guid JobId);

    private sealed record AuditPage(int TotalCount);
}
