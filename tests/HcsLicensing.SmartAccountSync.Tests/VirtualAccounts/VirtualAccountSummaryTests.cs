using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using HcsLicensing.SmartAccountSync.Tests.Support;
using HcsLicensing.SmartAccountSync.VirtualAccounts;

namespace HcsLicensing.SmartAccountSync.Tests.VirtualAccounts;

/// <summary>The Virtual Account Summary's filters and paging, and one VA.</summary>
public class VirtualAccountSummaryTests
{
    private SyncHost host = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        host = await SyncHost.StartAsync(virtualAccounts: 100);
        await host.ConfigureDemoAndWaitAsync();
    }

    [OneTimeTearDown]
    public async Task Stop() => await host.DisposeAsync();

    [Test]
    public async Task VAs_filter_by_name_access_level_and_smart_account_in_pages()
    {
        var byName = await host.VirtualAccountsAsync("name=cust-001");
        var privateOnes = await host.VirtualAccountsAsync("accessLevel=private&pageSize=10&page=2");
        var bySmartAccount = await host.VirtualAccountsAsync("smartAccount=hcs-demo");
        var none = await host.VirtualAccountsAsync("smartAccount=HCS-OTHER");
        var one = await host.GetAsync<VirtualAccountDto>($"/virtual-accounts/{byName.Items[0].Id}");

        Assert.Multiple(() =>
        {
            Assert.That(byName.Items.Select(v => v.Name), Is.EqualTo(new[] { "HCS-CUST-0011", "HCS-CUST-0012", "HCS-CUST-0013", "HCS-CUST-0014", "HCS-CUST-0015", "HCS-CUST-0016", "HCS-CUST-0017", "HCS-CUST-0018", "HCS-CUST-0019" }),
                "HCS-CUST-0010 is synced via satellite");
            Assert.That(privateOnes.Items.Select(v => v.AccessLevel).Distinct(), Is.EqualTo(new[] { "PRIVATE" }));
            Assert.That((privateOnes.Page, privateOnes.PageSize, privateOnes.Items.Count), Is.EqualTo((2, 10, 10)));
            Assert.That(privateOnes.TotalCount, Is.InRange(20, 25));
            Assert.That(bySmartAccount.TotalCount, Is.EqualTo(90));
            Assert.That(none.TotalCount, Is.Zero);
            Assert.That((one!.Name, one.SmartAccountName, one.SmartAccountDomain, one.Description), Is.EqualTo(("HCS-CUST-0011", "HCS-DEMO", Simulator.Domain, "HCS customer 0011 of HCS-DEMO")));
        });
    }

    [Test]
    public async Task Bad_filters_and_unknown_ids_get_problem_details()
    {
        using var badLevel = await host.Http.GetAsync(new Uri("/virtual-accounts?accessLevel=SECRET&pageSize=0", UriKind.Relative));
        using var unknown = await host.Http.GetAsync(new Uri($"/virtual-accounts/{Guid.NewGuid()}", UriKind.Relative));
        var problem = await badLevel.Content.ReadFromJsonAsync<JsonObject>();

        Assert.Multiple(() =>
        {
            Assert.That(badLevel.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(problem!["errors"]!.AsObject().Select(e => e.Key), Is.EquivalentTo(new[] { "accessLevel", "pageSize" }));
            Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(unknown.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        });
    }
}
