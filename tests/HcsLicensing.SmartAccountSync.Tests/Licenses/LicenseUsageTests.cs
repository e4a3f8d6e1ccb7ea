using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using HcsLicensing.Contracts.Jobs;
using HcsLicensing.SmartAccountSync.Licenses;
using HcsLicensing.SmartAccountSync.SmartAccounts;
using HcsLicensing.SmartAccountSync.Tests.Support;

namespace HcsLicensing.SmartAccountSync.Tests.Licenses;

/// <summary>
/// License usage synced from CSSM with the VAs: every field of every line, a registration in CSSM showing after the next
/// sync, the summary's short lines and expiring subscriptions, and problems for bad input. One smart account of 30 VAs
/// (0010, 0020, 0030 via satellite); each test works on VAs of its own.
/// </summary>
public class LicenseUsageTests
{
    private const string Enhanced = "UC Manager Enhanced License (12.x)";
    private const string UnityEnhanced = "Unity Connection Enhanced Messaging (12.x)";

    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);

    private SyncHost host = null!;
    private SmartAccountConfiguredDto configured = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        host = await SyncHost.StartAsync(virtualAccounts: 30);
        // Values the seed never has (reserved, pending, USAGE billing), so that each field is seen to travel.
        await host.Cssm.SetLicensesAsync("HCS-CUST-0008", new object[]
        {
            new
            {
                license = Enhanced, billingType = "USAGE", inUse = 7, reserved = 3, pendingQuantity = 2, licenseDetails = new object[]
                {
                    new { licenseType = "TERM", quantity = 20, startDate = Today.AddDays(-100), endDate = Today.AddDays(265), subscriptionId = "Sub777001" },
                    new { licenseType = "DEMO", quantity = 5, startDate = Today.AddDays(-10), endDate = Today.AddDays(50), subscriptionId = (string?)null },
                },
            },
        });
        configured = await host.ConfigureDemoAndWaitAsync();
    }

    [OneTimeTearDown]
    public async Task Stop() => await host.DisposeAsync();

    [Test]
    public async Task A_sync_brings_each_VAs_license_lines_with_every_field_CSSM_reports()
    {
        var step = await host.Bus.WaitForAsync<JobStepChanged>(s => s.JobId == configured.SyncJobId && s.Step == "Fetch Licenses" && s.Status == JobStepStatus.Pass);
        var checkedVas = new[] { "HCS-CUST-0002", "HCS-CUST-0003", "HCS-CUST-0008" };
        var ours = new Dictionary<string, JsonObject>();
        foreach (var va in checkedVas)
        {
            ours[va] = (await host.GetAsync<JsonObject>($"/virtual-accounts/{Simulator.Domain}/{va}/licenses"))!;
        }

        var expected = new Dictionary<string, JsonArray>();
        foreach (var va in checkedVas)
        {
            expected[va] = AsOurs(await host.Cssm.LicenseReportAsync(va));
        }

        var summary = (await host.GetAsync<LicenseSummaryDto>($"/licenses/summary?domain={Simulator.Domain}"))!;

        Assert.Multiple(() =>
        {
            foreach (var va in checkedVas)
            {
                Assert.That((string?)ours[va]["domain"], Is.EqualTo(Simulator.Domain));
                Assert.That((string?)ours[va]["virtualAccount"], Is.EqualTo(va));
                Assert.That(ours[va]["syncedAt"], Is.Not.Null);
                Assert.That(JsonNode.DeepEquals(ours[va]["licenses"], expected[va]), Is.True, $"{va}:\n{ours[va]["licenses"]}\nCSSM:\n{expected[va]}");
            }

            Assert.That(expected["HCS-CUST-0008"][0]!["reserved"]!.GetValue<int>(), Is.EqualTo(3), "the knob's values reached CSSM's report");
            Assert.That(step.Detail, Does.StartWith("79 license lines"), "27 VAs kept (3 via satellite left out), 3 lines each but HCS-CUST-0008 (1)");
            Assert.That(summary.VirtualAccounts, Has.Count.EqualTo(27));
            Assert.That(summary.VirtualAccounts.Select(v => v.VirtualAccount), Does.Not.Contain("HCS-CUST-0010"), "satellite VAs are left out, with their licenses");
        });
    }

    [Test]
    public async Task A_cluster_registered_in_a_VA_raises_its_licenses_in_use_after_the_next_sync()
    {
        var before = await InUseAsync("HCS-CUST-0004", Enhanced);
        await host.Cssm.RegisterProductInstanceAsync("HCS-CUST-0004", "cl4-delta", "CUCM");
        var beforeSync = await InUseAsync("HCS-CUST-0004", Enhanced);

        var sync = await host.WaitForSyncAsync((await host.RequestSyncAsync(configured.SmartAccount.Id)).JobId);
        var after = (await host.GetAsync<VirtualAccountLicensesDto>($"/virtual-accounts/{Simulator.Domain}/HCS-CUST-0004/licenses"))!;
        var line = after.Licenses.Single(l => l.License == Enhanced);

        Assert.Multiple(() =>
        {
            Assert.That(beforeSync, Is.EqualTo(before), "nothing moves before a sync");
            Assert.That(sync.Status, Is.EqualTo("Succeeded"), sync.Error);
            Assert.That(line.InUse, Is.EqualTo(before + 1));
            Assert.That(line.Available, Is.EqualTo(line.Quantity - line.InUse));
            Assert.That(after.SyncedAt, Is.GreaterThan(configured.SmartAccount.LastSyncedAt ?? DateTimeOffset.MinValue));
        });
    }

    [Test]
    public async Task The_summary_lists_short_lines_and_the_subscriptions_ending_within_the_days_asked()
    {
        await host.Cssm.SetLicensesAsync("HCS-CUST-0011", new object[]
        {
            new { license = Enhanced, inUse = 12, licenseDetails = new[] { new { licenseType = "TERM", quantity = 10, startDate = Today.AddYears(-1), endDate = Today.AddYears(2), subscriptionId = "Sub811001" } } },
            new
            {
                license = UnityEnhanced, inUse = 1, licenseDetails = new[]
                {
                    new { licenseType = "TERM", quantity = 4, startDate = Today.AddYears(-1), endDate = Today.AddDays(75), subscriptionId = "Sub811075" },
                    new { licenseType = "TERM", quantity = 5, startDate = Today.AddYears(-1), endDate = Today.AddDays(20), subscriptionId = "Sub811020" },
                    new { licenseType = "TERM", quantity = 6, startDate = Today.AddYears(-1), endDate = Today.AddDays(200), subscriptionId = "Sub811200" },
                },
            },
        });
        await host.WaitForSyncAsync((await host.RequestSyncAsync(configured.SmartAccount.Id)).JobId);

        var summary = (await host.GetAsync<LicenseSummaryDto>($"/licenses/summary?domain={Simulator.Domain}"))!;
        var within30 = (await host.GetAsync<LicenseSummaryDto>($"/licenses/summary?domain={Simulator.Domain.ToUpperInvariant()}&expiringWithinDays=30"))!;
        var ours = summary.Expiring.Where(e => e.VirtualAccount == "HCS-CUST-0011").ToList();

        Assert.Multiple(() =>
        {
            Assert.That(summary.ShortLicenses, Does.Contain(new ShortLicenseDto("HCS-CUST-0011", Enhanced, 10, 12, -2, "Insufficient Licenses")));
            Assert.That(summary.ShortLicenses.Select(s => s.VirtualAccount), Does.Contain("HCS-CUST-0003"), "the seed's short line");
            Assert.That(summary.ShortLicenses.All(s => s.Available < 0 || s.Status != "In Compliance"), Is.True);
            Assert.That(summary.VirtualAccounts.SelectMany(v => v.Licenses).Count(l => l.Available < 0 || l.Status != "In Compliance"), Is.EqualTo(summary.ShortLicenses.Count));
            Assert.That(ours, Is.EqualTo(new[]
            {
                new ExpiringSubscriptionDto("HCS-CUST-0011", UnityEnhanced, "Sub811020", 5, Today.AddDays(20), 20),
                new ExpiringSubscriptionDto("HCS-CUST-0011", UnityEnhanced, "Sub811075", 4, Today.AddDays(75), 75),
            }));
            Assert.That(summary.Expiring.Select(e => e.EndDate), Is.Ordered, "soonest first");
            Assert.That(summary.Expiring.Select(e => e.DaysLeft), Has.All.InRange(0, 90));
            Assert.That(summary.Expiring.Select(e => e.VirtualAccount), Does.Contain("HCS-CUST-0002"), "the seed's subscription ending within 90 days");
            Assert.That(within30.Expiring.Where(e => e.VirtualAccount == "HCS-CUST-0011").Select(e => e.SubscriptionId), Is.EqualTo(new[] { "Sub811020" }));
            Assert.That(within30.Domain, Is.EqualTo(Simulator.Domain));
        });
    }

    [Test]
    public async Task Bad_input_gets_a_problem_naming_the_field_and_unknown_accounts_404()
    {
        var noDomain = await ProblemAsync("/licenses/summary");
        var badDays = await ProblemAsync($"/licenses/summary?domain={Simulator.Domain}&expiringWithinDays=soon");
        var negativeDays = await ProblemAsync($"/licenses/summary?domain={Simulator.Domain}&expiringWithinDays=-5");
        var badDomain = await ProblemAsync("/virtual-accounts/not%20a%20domain/HCS-CUST-0002/licenses");
        var unknownDomain = await ProblemAsync("/licenses/summary?domain=nobody.example.com");
        var unknownVa = await ProblemAsync($"/virtual-accounts/{Simulator.Domain}/HCS-NOBODY/licenses");
        var satelliteVa = await ProblemAsync($"/virtual-accounts/{Simulator.Domain}/HCS-CUST-0010/licenses");

        Assert.Multiple(() =>
        {
            Assert.That(noDomain.Status, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(noDomain.Errors, Is.EqualTo(new[] { "domain" }));
            Assert.That(badDays.Errors, Is.EqualTo(new[] { "expiringWithinDays" }));
            Assert.That(badDays.Body["errors"]!["expiringWithinDays"]![0]!.ToString(), Does.Contain("'soon'"));
            Assert.That(negativeDays.Errors, Is.EqualTo(new[] { "expiringWithinDays" }));
            Assert.That(badDomain.Errors, Is.EqualTo(new[] { "domain" }));
            foreach (var (problem, name) in new[] { (unknownDomain, "unknown domain"), (unknownVa, "unknown VA"), (satelliteVa, "satellite VA") })
            {
                Assert.That(problem.Status, Is.EqualTo(HttpStatusCode.NotFound), name);
                Assert.That(problem.MediaType, Is.EqualTo("application/problem+json"), name);
            }
        });
    }

    /// <summary>CSSM's lines as our API gives them: its licenseDetails as subscriptions, the VA and CSSM-only flags left out.</summary>
    private static JsonArray AsOurs(JsonArray report) =>
        [.. report.Select(line => (JsonNode)new JsonObject
        {
            ["license"] = line!["license"]!.DeepClone(),
            ["quantity"] = line["quantity"]!.DeepClone(),
            ["inUse"] = line["inUse"]!.DeepClone(),
            ["available"] = line["available"]!.DeepClone(),
            ["reserved"] = line["reserved"]!.DeepClone(),
            ["pendingQuantity"] = line["pendingQuantity"]!.DeepClone(),
            ["status"] = line["status"]!.DeepClone(),
            ["billingType"] = line["billingType"]!.DeepClone(),
            ["subscriptions"] = line["licenseDetails"]!.DeepClone(),
        })];

    private async Task<int> InUseAsync(string virtualAccount, string license) =>
        (await host.GetAsync<VirtualAccountLicensesDto>($"/virtual-accounts/{Simulator.Domain}/{virtualAccount}/licenses"))!.Licenses.Single(l => l.License == license).InUse;

    private async Task<(HttpStatusCode Status, string? MediaType, JsonObject Body, IReadOnlyList<string> Errors)> ProblemAsync(string path)
    {
        using var response = await host.Http.GetAsync(new Uri(path, UriKind.Relative));
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var errors = body["errors"]?.AsObject().Select(e => e.Key).ToList() ?? [];
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, body, errors);
    }
}
