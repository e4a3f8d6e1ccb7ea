using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace HcsLicensing.CssmSimulator.Tests;

/// <summary>
/// The product instance search (POST v1/accounts/{domain}/devices) the license audit reads, and the knobs that make
/// CSSM's view drift from what was assigned: a product instance moved to another VA, one added out of band.
/// </summary>
public class ProductInstanceSearchTests
{
    private static readonly string[] DeviceKeys =
        ["productInstanceId", "productInstanceName", "productType", "softwareVersion", "virtualAccount", "registrationDate", "lastContactDate", "status"];

    private SimulatorServer sim = null!;

    [SetUp]
    public async Task Start()
    {
        sim = await SimulatorServer.StartAsync(virtualAccounts: 20);
        await sim.AuthorizeAsync();
    }

    [TearDown]
    public async Task Stop() => await sim.DisposeAsync();

    [Test]
    public async Task Registered_instances_are_listed_per_VA_with_every_field_and_paged()
    {
        await RegisterAsync("HCS-CUST-0002", "cl1-alfa");
        await RegisterAsync("HCS-CUST-0002", "cl2-bravo");
        await RegisterAsync("HCS-CUST-0003", "cl3-charlie");

        var all = await SearchAsync([], limit: 1000);
        var ofVa = await SearchAsync(["hcs-cust-0002"], limit: 1000);
        var secondPage = await SearchAsync([], limit: 2, offset: 2);
        var device = all["devices"]![0]!.AsObject();

        Assert.Multiple(() =>
        {
            Assert.That((string?)all["status"], Is.EqualTo("SUCCESS"));
            Assert.That((int?)all["totalRecords"], Is.EqualTo(3));
            Assert.That(device.Select(p => p.Key), Is.EquivalentTo(DeviceKeys), "every key, none missing");
            Assert.That((string?)device["productInstanceName"], Is.EqualTo("cl1-alfa"));
            Assert.That((string?)device["virtualAccount"], Is.EqualTo("HCS-CUST-0002"));
            Assert.That((string?)device["productType"], Is.EqualTo("CUCM"));
            Assert.That((string?)device["status"], Is.EqualTo("REGISTERED"));
            Assert.That(Guid.TryParse((string?)device["productInstanceId"], out _), Is.True);
            Assert.That(DateTimeOffset.TryParse((string?)device["lastContactDate"], out _), Is.True);
            Assert.That(Names(ofVa), Is.EqualTo(new[] { "cl1-alfa", "cl2-bravo" }), "the VA's name matches regardless of case");
            Assert.That((int?)secondPage["totalRecords"], Is.EqualTo(3));
            Assert.That(Names(secondPage), Is.EqualTo(new[] { "cl3-charlie" }));
        });
    }

    [Test]
    public async Task No_instance_is_swapis_no_data_answer_and_bad_paging_a_400()
    {
        var none = await SearchAsync(["HCS-CUST-0005"], limit: 10);
        using var badLimit = await sim.Http.PostAsJsonAsync(DevicesUri, new { virtualAccounts = Array.Empty<string>(), limit = 0, offset = 0 });

        Assert.Multiple(() =>
        {
            Assert.That((string?)none["message_code"], Is.EqualTo("NO DATA FOUND"));
            Assert.That(badLimit.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        });
    }

    [Test]
    public async Task A_moved_instance_shows_in_its_new_VA_and_one_added_out_of_band_makes_a_duplicate()
    {
        var id = (string)(await RegisterAsync("HCS-CUST-0002", "cl1-alfa"))["productInstanceId"]!;

        using var move = await sim.Http.PutAsJsonAsync(new Uri($"/sim/control/product-instances/{id}/virtual-account", UriKind.Relative), new { virtualAccount = "HCS-CUST-0004" });
        using var add = await sim.Http.PostAsJsonAsync(
            new Uri($"/sim/control/smart-accounts/{SimulatorServer.Domain}/virtual-accounts/HCS-CUST-0006/product-instances", UriKind.Relative),
            new { productInstanceName = "cl1-alfa", productType = "CUCM", version = "14.0" });
        using var unknownVa = await sim.Http.PutAsJsonAsync(new Uri($"/sim/control/product-instances/{id}/virtual-account", UriKind.Relative), new { virtualAccount = "NO-SUCH-VA" });
        var all = (await SearchAsync([], limit: 1000))["devices"]!.AsArray().Select(d => d!.AsObject()).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(move.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(add.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(unknownVa.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(all.Select(d => ((string?)d["productInstanceName"], (string?)d["virtualAccount"])),
                Is.EqualTo(new[] { ("cl1-alfa", "HCS-CUST-0004"), ("cl1-alfa", "HCS-CUST-0006") }), "moved, and listed twice");
            Assert.That((string?)all[0]["productInstanceId"], Is.EqualTo(id), "a move keeps the instance's id");
            Assert.That((string?)all[1]["productInstanceId"], Is.Not.EqualTo(id));
        });
    }

    private static Uri DevicesUri => new($"{SimulatorServer.Swapi}/v1/accounts/{SimulatorServer.Domain}/devices", UriKind.Relative);

    private static IEnumerable<string?> Names(JsonNode answer) => answer["devices"]!.AsArray().Select(d => (string?)d!["productInstanceName"]);

    private async Task<JsonNode> SearchAsync(string[] virtualAccounts, int limit, int offset = 0)
    {
        using var response = await sim.Http.PostAsJsonAsync(DevicesUri, new { virtualAccounts, limit, offset });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonNode>())!;
    }

    private async Task<JsonObject> RegisterAsync(string virtualAccount, string name)
    {
        using var created = await sim.Http.PostAsJsonAsync(
            new Uri($"{SimulatorServer.Swapi}/v1/accounts/{SimulatorServer.Domain}/virtual-accounts/{virtualAccount}/tokens", UriKind.Relative),
            new { description = "test", expiresAfterDays = 30, exportControlled = "Not Allowed" });
        created.EnsureSuccessStatusCode();
        var token = (string)(await created.Content.ReadFromJsonAsync<JsonObject>())!["tokenInfo"]!["token"]!;
        using var response = await sim.Http.PostAsJsonAsync(new Uri("/sim/devices/register", UriKind.Relative), new { idToken = token, productInstanceName = name, productType = "CUCM", version = "12.5" });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }
}
