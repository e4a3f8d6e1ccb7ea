using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace HcsLicensing.CssmSimulator.Tests;

/// <summary>swapi's payloads, field for field as Cisco's public clients read them.</summary>
public class SwapiTests
{
    private SimulatorServer sim = null!;

    [SetUp]
    public async Task Start()
    {
        sim = await SimulatorServer.StartAsync();
        await sim.AuthorizeAsync();
    }

    [TearDown]
    public async Task Stop() => await sim.DisposeAsync();

    [Test]
    public async Task The_accounts_the_client_can_access_carry_name_domain_and_type()
    {
        var accounts = await sim.GetJsonAsync($"{SimulatorServer.Swapi}/v2/accounts");
        var search = await sim.GetJsonAsync($"{SimulatorServer.Swapi}/v1/accounts/search?domain=demo&type=CUSTOMER&limit=10&offset=0");
        var none = await sim.GetJsonAsync($"{SimulatorServer.Swapi}/v1/accounts/search?domain=nobody");

        Assert.Multiple(() =>
        {
            Assert.That(accounts["accounts"]![0]!.ToJsonString(), Is.EqualTo(
                """{"accountName":"HCS-DEMO","accountDomain":"hcs-demo.example.com","accountType":"CUSTOMER","accountStatus":"Active","roles":[{"role":"SMART_ACCOUNT_ADMIN"}]}"""));
            Assert.That((string?)accounts["status"], Is.EqualTo("SUCCESS"));
            Assert.That((int?)search["totalRecords"], Is.EqualTo(1));
            Assert.That((string?)search["accounts"]![0]!["domain"], Is.EqualTo(SimulatorServer.Domain));
            Assert.That(none.ToJsonString(), Is.EqualTo("""{"status":"COMPLETE","message_code":"NO DATA FOUND","message":"No matching record found for given input"}"""));
        });
    }

    [Test]
    public async Task The_virtual_account_list_has_1285_entries_with_quoted_booleans_and_a_tenth_via_satellite()
    {
        var body = await sim.GetJsonAsync($"{SimulatorServer.Swapi}/v1/accounts/{SimulatorServer.Domain}/CUSTOMER/virtual-accounts");
        var vas = body["virtualAccounts"]!.AsArray();

        Assert.Multiple(() =>
        {
            Assert.That(vas, Has.Count.EqualTo(1285));
            Assert.That(vas[0]!.ToJsonString(), Is.EqualTo(
                """{"name":"HCS-CUST-0001","description":"HCS customer 0001 of HCS-DEMO","isDefault":"true","commerceAccessLevel":"PUBLIC","satelliteSynced":"false"}"""));
            Assert.That(vas.Count(va => (string?)va!["satelliteSynced"] == "true"), Is.EqualTo(128));
            Assert.That(vas.Select(va => (string?)va!["commerceAccessLevel"]).Distinct(), Is.EquivalentTo(new[] { "PUBLIC", "PRIVATE" }));
        });
    }

    [Test]
    public async Task A_domain_the_client_was_not_granted_is_403()
    {
        using var response = await sim.Http.GetAsync(new Uri($"{SimulatorServer.Swapi}/v1/accounts/other.example.com/CUSTOMER/virtual-accounts", UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task Licenses_page_by_offset_and_limit_until_totalRecords()
    {
        var seen = new List<string>();
        int total;
        var offset = 0;
        do
        {
            using var response = await sim.Http.PostAsJsonAsync(
                new Uri($"{SimulatorServer.Swapi}/v1/accounts/{SimulatorServer.Domain}/licenses", UriKind.Relative),
                new { virtualAccounts = Array.Empty<string>(), limit = 1000, offset });
            var page = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
            total = (int)page["totalRecords"]!;
            seen.AddRange(page["licenses"]!.AsArray().Select(l => $"{l!["virtualAccount"]}/{l["license"]}"));
            offset += 1000;
        }
        while (offset < total);

        using var one = await sim.Http.PostAsJsonAsync(
            new Uri($"{SimulatorServer.Swapi}/v1/accounts/{SimulatorServer.Domain}/licenses", UriKind.Relative),
            new { virtualAccounts = new[] { "HCS-CUST-0002" }, limit = 10, offset = 0 });
        var oneVa = (await one.Content.ReadFromJsonAsync<JsonObject>())!;

        Assert.Multiple(() =>
        {
            Assert.That(total, Is.EqualTo(1285 * 3));
            Assert.That(seen, Has.Count.EqualTo(total).And.Unique);
            Assert.That((int?)oneVa["totalRecords"], Is.EqualTo(3));
            Assert.That(oneVa["licenses"]![0]!.AsObject().Select(p => p.Key), Is.SupersetOf(new[]
            {
                "license", "virtualAccount", "quantity", "inUse", "available", "reserved", "pendingQuantity", "status", "billingType", "licenseDetails",
            }));
        });
    }

    [Test]
    public async Task A_created_registration_token_is_listed_until_it_expires()
    {
        var path = new Uri($"{SimulatorServer.Swapi}/v1/accounts/{SimulatorServer.Domain}/virtual-accounts/HCS-CUST-0002/tokens", UriKind.Relative);
        using var created = await sim.Http.PostAsJsonAsync(path, new { description = "HCM-F", expiresAfterDays = 30, exportControlled = "Not Allowed" });
        var info = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        var listed = await sim.GetJsonAsync(path.ToString());
        await sim.Http.PostAsJsonAsync(new Uri("/sim/control/clock/advance", UriKind.Relative), new { seconds = 31 * 86400 });
        await sim.AuthorizeAsync();
        var later = await sim.GetJsonAsync(path.ToString());

        Assert.Multiple(() =>
        {
            Assert.That((string?)info["status"], Is.EqualTo("SUCCESS"));
            Assert.That((string?)info["tokenInfo"]!["token"], Is.Not.Empty);
            Assert.That((string?)listed["tokens"]![0]!["token"], Is.EqualTo((string?)info["tokenInfo"]!["token"]));
            Assert.That((string?)listed["tokens"]![0]!["status"], Is.EqualTo("VALID"));
            Assert.That((string?)later["tokens"]![0]!["status"], Is.EqualTo("EXPIRED"));
        });
    }
}
