using System.Text;
using HcsLicensing.TestBed.Suite;
using Microsoft.Playwright;

namespace HcsLicensing.Console.Tests;

/// <summary>Bulk assign from a CSV file on the Clusters page: a bad file is refused line by line and starts nothing; a good one starts one job per row.</summary>
public sealed class BulkAssignFileTests : ConsolePageTest
{
    [Test]
    public async Task A_file_with_bad_lines_starts_nothing_and_names_them_and_a_good_file_assigns_each_cluster_to_its_VA()
    {
        var clusters = Suite.TakeClusterNames(3);
        await Suite.AddClustersToInventoryAsync(clusters);
        string[] vas = [Account.VirtualAccounts[7], Account.VirtualAccounts[8]];

        await SignInAsync(SuiteConsole.Operator, "clusters");
        var file = Page.GetByLabel("CSV file", new() { Exact = true });
        await Expect(file).ToBeEnabledAsync(); // the circuit is up
        await file.SetInputFilesAsync(Csv("bad.csv",
            "cluster,virtualAccount,smartAccount",
            $"{clusters[0]},{vas[0]}",
            "no-such-cluster,HCS-CUST-0001",
            $"{clusters[1]},",
            $"{clusters[0]},{vas[1]}",
            $"{clusters[2]},{vas[0]},other.example.com"));
        var errors = Page.GetByTestId("bulk-file-errors");
        await Expect(errors).ToContainTextAsync("nothing was started");
        await ScreenshotAsync("bulk-file-refused");
        var errorLines = await errors.Locator("li").AllInnerTextsAsync();
        var startButtons = await Page.GetByRole(AriaRole.Button, new() { NameRegex = new("from the file") }).CountAsync();
        var startedAfterBadFile = await Page.Locator(".started li").CountAsync();

        await file.SetInputFilesAsync(Csv("good.csv",
            $"{clusters[0]},{vas[0]}",
            "",
            $"{clusters[1]},\"{vas[1]}\",{HcsSuite.SmartAccountDomain}",
            $"{clusters[2]},{vas[0]}"));
        await Expect(Page.GetByTestId("bulk-file-summary")).ToContainTextAsync("3 clusters into 2 virtual accounts");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Assign 3 clusters from the file" }).ClickAsync();
        var started = Page.Locator(".started li");
        await Expect(started).ToHaveCountAsync(3, new() { Timeout = 90_000 });
        var jobIds = (await started.Locator("a").EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href'))"))
            .Select(href => Guid.Parse(href["jobs/".Length..])).ToList();
        var jobs = await Task.WhenAll(jobIds.Select(id => Suite.WaitForJobAsync(id, TimeSpan.FromSeconds(90))));
        var registered = await Task.WhenAll(clusters.Select(async c => (await Suite.GetUcClusterAsync(c))!.Registration.VirtualAccount));
        await ScreenshotAsync("bulk-file-assigned");

        Assert.Multiple(() =>
        {
            Assert.That(errorLines, Is.EqualTo(new[]
            {
                "line 3: CHPA's inventory has no cluster no-such-cluster",
                "line 4: the virtual account is empty",
                $"line 5: {clusters[0]} is already on line 2",
                "line 6: smart account other.example.com is not connected",
            }), "each bad row by its line number (the header is line 1)");
            Assert.That(startButtons, Is.Zero, "no way to start a file with bad lines");
            Assert.That(startedAfterBadFile, Is.Zero, "nothing started");
            Assert.That(jobs.Select(j => j.Status), Is.All.EqualTo("Succeeded"));
            Assert.That(jobs.Select(j => j.EntityName), Is.EquivalentTo(clusters), "one job per row");
            Assert.That(registered, Is.EqualTo(new[] { vas[0], vas[1], vas[0] }), "each cluster in its row's VA");
        });
    }

    private static FilePayload Csv(string name, params string[] lines) =>
        new() { Name = name, MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(string.Join("\r\n", lines) + "\r\n") };
}
