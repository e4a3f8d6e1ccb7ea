using HcsLicensing.Contracts.Jobs;
using HcsLicensing.SmartAccountSync.Licenses;
using HcsLicensing.SmartAccountSync.Tests.Support;

namespace HcsLicensing.SmartAccountSync.Tests.Licenses;

/// <summary>
/// A large smart account's license report takes many pages; after the first (which gives totalRecords) they are read
/// several at a time. Every line arrives once, in CSSM's order, whatever order the pages came back in.
/// </summary>
public class LicensePagingTests
{
    [Test]
    public async Task A_report_of_many_pages_read_at_once_stores_every_line_once()
    {
        // 30 VAs of 3 lines each is 90 lines: 13 pages of 7, read 4 at a time after the first.
        await using var host = await SyncHost.StartAsync(virtualAccounts: 30, settings: new Dictionary<string, string>
        {
            ["Licenses:PageSize"] = "7",
            ["Licenses:ConcurrentPages"] = "4",
        });
        var configured = await host.ConfigureDemoAndWaitAsync();
        var step = await host.Bus.WaitForAsync<JobStepChanged>(s => s.JobId == configured.SyncJobId && s.Step == "Fetch Licenses" && s.Status == JobStepStatus.Pass);
        var summary = (await host.GetAsync<LicenseSummaryDto>($"/licenses/summary?domain={Simulator.Domain}"))!;
        var oneVa = await host.GetAsync<VirtualAccountLicensesDto>($"/virtual-accounts/{Simulator.Domain}/HCS-CUST-0029/licenses");
        var pagesAsked = await host.Cssm.CallsAsync("POST", "/licenses", "200");
        var cssm = await host.Cssm.LicenseReportAsync("HCS-CUST-0029");

        Assert.Multiple(() =>
        {
            Assert.That(pagesAsked, Is.EqualTo(13), "ceil(90 / 7) pages, each asked once");
            Assert.That(step.Detail, Does.StartWith("81 license lines"), "27 VAs kept (3 via satellite left out), 3 lines each");
            Assert.That(summary.VirtualAccounts.Select(v => v.Licenses.Count), Is.All.EqualTo(3), "no line lost or doubled at a page's edge");
            Assert.That(oneVa!.Licenses.Select(l => l.License), Is.EqualTo(cssm.Select(l => (string?)l!["license"])), "in CSSM's order");
        });
    }
}
