using System.Text.Json.Nodes;
using HcsLicensing.TestBed.Suite;
using Microsoft.Playwright;

namespace HcsLicensing.Console.Tests;

/// <summary>Assign from the Clusters page, one cluster or several, and follow the jobs live on the Jobs pages.</summary>
public sealed class ClusterActionTests : ConsolePageTest
{
    private static readonly TimeSpan JobTimeout = TimeSpan.FromSeconds(60);

    [Test]
    public async Task Assigning_a_cluster_from_its_row_starts_a_job_whose_steps_turn_Pass_on_the_job_page_without_a_reload()
    {
        var cluster = Suite.TakeClusterNames(1)[0];
        await Suite.AddClustersToInventoryAsync([cluster]);
        // The publisher restarts for 3 s after the register: Registration is seen Inprogress before it passes.
        await ConsoleSuite.SetKnobsAsync(Suite, cluster, new { restartSeconds = 3 });
        var va = Account.VirtualAccounts[1];

        await SignInAsync(SuiteConsole.Operator, "clusters");
        await Page.GetByLabel("Virtual account", new() { Exact = true }).Last.FillAsync(va);
        await Page.GetByRole(AriaRole.Button, new() { Name = $"Assign {cluster}", Exact = true }).ClickAsync();
        // The first action of a cold suite on a busy machine can take a while: the job's link comes with the answer.
        await Page.Locator($".started li[data-cluster='{cluster}'] a").ClickAsync(new() { Timeout = 90_000 });
        await Expect(Page.GetByTestId("description")).ToContainTextAsync(cluster);

        // A marker in the page's window: a reload would lose it.
        await Page.EvaluateAsync("() => window.__notReloaded = true");
        var registration = Page.Locator("tr[data-step='Registration'] .step-status");
        await Expect(registration).ToHaveTextAsync("Inprogress", new() { Timeout = 30_000 });
        await ScreenshotAsync("job-registration-inprogress");
        await Expect(Page.GetByTestId("job-status")).ToHaveTextAsync("Succeeded", new() { Timeout = 60_000 });
        await ScreenshotAsync("job-succeeded");

        var steps = await Page.Locator("tr[data-step] .step-status").AllInnerTextsAsync();
        var jobId = Page.Url[(Page.Url.LastIndexOf('/') + 1)..];
        var traceLink = await Page.GetByTestId("trace-link").GetAttributeAsync("href");
        using var jobTracker = Suite.CreateClient(SuiteService.JobTracker);
        var traceId = (string?)JsonNode.Parse(await jobTracker.GetStringAsync(new Uri($"jobs/{jobId}", UriKind.Relative)))!["traceId"];
        Assert.Multiple(async () =>
        {
            Assert.That(await Page.EvaluateAsync<bool>("() => window.__notReloaded === true"), Is.True, "the page followed the job without reloading");
            Assert.That(steps, Is.Not.Empty.And.All.AnyOf("Pass", "Not Applicable"), "every step passed (or did not apply)");
            Assert.That((await Suite.GetUcClusterAsync(cluster))!.Registration.VirtualAccount, Is.EqualTo(va), "the cluster itself is registered in the VA");
            Assert.That(traceId, Does.Match("^[0-9a-f]{32}$"), "JobTracker recorded the job's trace");
            Assert.That(traceLink, Is.EqualTo(SuiteConsole.TraceUrl.Replace("{traceId}", traceId, StringComparison.Ordinal)), "the job links to its trace (Console:TraceUrl)");
        });
    }

    [Test]
    public async Task Selecting_five_clusters_and_assigning_them_starts_one_job_each_and_all_succeed()
    {
        var clusters = Suite.TakeClusterNames(5);
        await Suite.AddClustersToInventoryAsync(clusters);
        var va = Account.VirtualAccounts[2];

        await SignInAsync(SuiteConsole.Operator, "clusters");
        foreach (var cluster in clusters)
        {
            await Page.GetByRole(AriaRole.Checkbox, new() { Name = $"Select {cluster}", Exact = true }).CheckAsync();
        }

        await Page.GetByLabel("Virtual account", new() { Exact = true }).Last.FillAsync(va);
        await Page.GetByLabel("At most").FillAsync("2");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Assign selected (5)" }).ClickAsync();
        var started = Page.Locator(".started li");
        await Expect(started).ToHaveCountAsync(5, new() { Timeout = 90_000 });
        var jobIds = (await started.Locator("a").EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href'))"))
            .Select(href => Guid.Parse(href["jobs/".Length..])).ToList();

        var jobs = await Task.WhenAll(jobIds.Select(id => Suite.WaitForJobAsync(id, JobTimeout)));
        // The table follows while operations run; once they are done every row names the VA.
        foreach (var cluster in clusters)
        {
            await Expect(Page.Locator($"tr[data-cluster='{cluster}'] td").Nth(4)).ToHaveTextAsync(va, new() { Timeout = 30_000 });
        }

        await ScreenshotAsync("clusters-bulk-assigned");
        await Page.GotoAsync(new Uri(Console, "jobs").ToString());
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Jobs", Exact = true })).ToBeVisibleAsync();
        await Expect(Page.GetByText(clusters[0]).First).ToBeVisibleAsync();
        await ScreenshotAsync("jobs-screen", wholePage: false);
        Assert.Multiple(() =>
        {
            Assert.That(jobs.Select(j => j.Status), Is.All.EqualTo("Succeeded"));
            Assert.That(jobs.Select(j => j.EntityName), Is.EquivalentTo(clusters), "one job per selected cluster");
        });
    }
}
