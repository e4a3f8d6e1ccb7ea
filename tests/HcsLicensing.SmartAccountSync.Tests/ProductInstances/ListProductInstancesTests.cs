using System.Net.Http.Json;
using HcsLicensing.SmartAccountSync.Tests.Support;

namespace HcsLicensing.SmartAccountSync.Tests.ProductInstances;

/// <summary>ListProductInstancesRequest as the license audit sends it: CSSM's product instances now, and failures named.</summary>
public class ListProductInstancesTests
{
    private SyncHost host = null!;

    [SetUp]
    public async Task Start()
    {
        host = await SyncHost.StartAsync(virtualAccounts: 30, settings: new Dictionary<string, string> { ["Cssm:MaxRetries"] = "1", ["Cssm:RetryDelay"] = "00:00:00.050" });
        await host.ConfigureDemoAndWaitAsync();
    }

    [TearDown]
    public async Task Stop() => await host.DisposeAsync();

    [Test]
    public async Task Every_product_instance_of_the_smart_account_is_listed_with_its_VA()
    {
        await AddInstanceAsync("HCS-CUST-0002", "cl1-alfa");
        await AddInstanceAsync("HCS-CUST-0007", "cl2-bravo");
        await AddInstanceAsync("HCS-CUST-0007", "cl1-alfa");

        var listed = await host.Bus.ListProductInstancesAsync();
        var ofDomain = await host.Bus.ListProductInstancesAsync(Simulator.Domain);

        Assert.Multiple(() =>
        {
            Assert.That(listed.Failures, Is.Empty);
            Assert.That(listed.SmartAccountDomains, Is.EqualTo(new[] { Simulator.Domain }));
            Assert.That(listed.ProductInstances.Select(i => (i.ProductInstanceName, i.VirtualAccount)),
                Is.EqualTo(new[] { ("cl1-alfa", "HCS-CUST-0002"), ("cl2-bravo", "HCS-CUST-0007"), ("cl1-alfa", "HCS-CUST-0007") }));
            Assert.That(listed.ProductInstances.Select(i => i.SmartAccountDomain), Is.All.EqualTo(Simulator.Domain));
            Assert.That(listed.ProductInstances.Select(i => i.ProductInstanceId).Distinct().Count(), Is.EqualTo(3));
            Assert.That(listed.ProductInstances[0].ProductType, Is.EqualTo("CUCM"));
            Assert.That(listed.ProductInstances[0].LastContactAt, Is.Not.Null);
            Assert.That(ofDomain.ProductInstances, Has.Count.EqualTo(3));
        });
    }

    [Test]
    public async Task An_unknown_smart_account_and_CSSM_failing_are_named_failures_not_empty_lists()
    {
        var unknown = await host.Bus.ListProductInstancesAsync("nobody.example.com");
        await host.Cssm.SetFaultsAsync(new { failNext = 50, failStatus = 503, burstPath = "/devices" });
        var failing = await host.Bus.ListProductInstancesAsync();

        Assert.Multiple(() =>
        {
            Assert.That(unknown.Failures.Select(f => f.SmartAccountDomain), Is.EqualTo(new[] { "nobody.example.com" }));
            Assert.That(unknown.Failures[0].Detail, Does.Contain("not configured"));
            Assert.That(failing.ProductInstances, Is.Empty);
            Assert.That(failing.SmartAccountDomains, Is.Empty);
            Assert.That(failing.Failures.Select(f => f.SmartAccountDomain), Is.EqualTo(new[] { Simulator.Domain }));
        });
    }

    private async Task AddInstanceAsync(string virtualAccount, string name)
    {
        using var response = await host.Cssm.Http.PostAsJsonAsync(
            new Uri($"/sim/control/smart-accounts/{Simulator.Domain}/virtual-accounts/{virtualAccount}/product-instances", UriKind.Relative),
            new { productInstanceName = name });
        response.EnsureSuccessStatusCode();
    }
}
