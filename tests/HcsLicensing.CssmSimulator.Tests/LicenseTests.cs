using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HcsLicensing.CssmSimulator.Tests;

/// <summary>
/// The license usage report (POST v1/accounts/{domain}/licenses): every key Cisco's public clients index, the status
/// strings as CSSM writes them, and the licenses a registered cluster consumes.
/// </summary>
public class LicenseTests
{
    private const string Enhanced = "UC Manager Enhanced License (12.x)";
    private const string UnityEnhanced = "Unity Connection Enhanced Messaging (12.x)";

    private static readonly string[] LineKeys =
    [
        "license", "virtualAccount", "quantity", "inUse", "available", "reserved", "pendingQuantity", "status", "billingType",
        "ahaApps", "isPortable", "licenseSubstitutions", "licenseDetails",
    ];

    private static readonly string[] DetailKeys = ["licenseType", "quantity", "startDate", "endDate", "subscriptionId", "status"];

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
    public async Task Every_line_carries_every_key_with_Ciscos_status_strings_nulls_included()
    {
        var all = await LicensesAsync();
        var lines = all["licenses"]!.AsArray().Select(l => l!.AsObject()).ToList();
        var details = lines.SelectMany(l => l["licenseDetails"]!.AsArray().Select(d => d!.AsObject())).ToList();
        var expiring = await LinesOfAsync("HCS-CUST-0002");
        var short0003 = (await LinesOfAsync("HCS-CUST-0003"))[1];
        var perpetual = expiring[2]["licenseDetails"]![0]!.AsObject();

        Assert.Multiple(() =>
        {
            Assert.That((int?)all["totalRecords"], Is.EqualTo(20 * 3));
            Assert.That((string?)all["status"], Is.EqualTo("SUCCESS"));
            Assert.That(all["statusMessage"], Is.Not.Null);
            Assert.That(lines.Select(l => l.Select(p => p.Key)), Has.All.EquivalentTo(LineKeys));
            Assert.That(details.Select(d => d.Select(p => p.Key)), Has.All.EquivalentTo(DetailKeys));
            Assert.That(lines.Select(l => l["ahaApps"]!.GetValueKind()).Distinct(), Is.EqualTo(new[] { JsonValueKind.False }));
            Assert.That(lines.Select(l => l["licenseSubstitutions"]!.GetValueKind()).Distinct(), Is.EqualTo(new[] { JsonValueKind.Array }));
            Assert.That(lines.Select(l => (string?)l["status"]).Distinct(), Is.EquivalentTo(new[] { "In Compliance", "Insufficient Licenses" }));
            Assert.That(lines.All(l => (int)l["available"]! == (int)l["quantity"]! - (int)l["inUse"]!), "available is the balance");
            Assert.That(lines.All(l => (int)l["quantity"]! == l["licenseDetails"]!.AsArray().Sum(d => (int)d!["quantity"]!)), "purchased is the sum of the subscriptions");

            Assert.That(expiring.Select(l => (string?)l["license"]), Is.EqualTo(new[] { Enhanced, UnityEnhanced, "Emergency Responder User License (12.x)" }));
            Assert.That(expiring[0]["licenseDetails"]!.AsArray(), Has.Count.EqualTo(2), "a second subscription, ending soon");
            var soon = DateOnly.Parse((string)expiring[0]["licenseDetails"]![1]!["endDate"]!, System.Globalization.CultureInfo.InvariantCulture);
            Assert.That(soon.DayNumber - DateOnly.FromDateTime(DateTime.UtcNow).DayNumber, Is.InRange(1, 90));
            Assert.That((string?)expiring[0]["licenseDetails"]![1]!["subscriptionId"], Does.Match("^Sub[0-9]+$"));
            Assert.That((string?)expiring[0]["licenseDetails"]![1]!["status"], Is.EqualTo("ACTIVE"));
            Assert.That((string?)perpetual["licenseType"], Is.EqualTo("PERPETUAL"));
            Assert.That(perpetual["startDate"], Is.Null, "present, as null");
            Assert.That(perpetual["subscriptionId"], Is.Null, "present, as null");

            Assert.That((string?)short0003["status"], Is.EqualTo("Insufficient Licenses"));
            Assert.That((int)short0003["available"]!, Is.Negative);
        });
    }

    [Test]
    public async Task Registering_a_cluster_consumes_its_types_license_in_its_VA_and_deregistering_releases_it()
    {
        var before = await LinesOfAsync("HCS-CUST-0004");
        var otherBefore = await LinesOfAsync("HCS-CUST-0005");
        var token = await CreateTokenAsync("HCS-CUST-0004");
        var cucm = await RegisterAsync(token, "cl1-alfa", "CUCM");
        await RegisterAsync(token, "cl1-alfa-cuc", "CUCXN");
        await RegisterAsync(token, "cl1-alfa-imp", "IMP");
        var registered = await LinesOfAsync("HCS-CUST-0004");
        var elsewhere = await LinesOfAsync("HCS-CUST-0005");

        using var deregistered = await sim.Http.PostAsync(new Uri($"/sim/devices/{cucm}/deregister", UriKind.Relative), null);
        var released = await LinesOfAsync("HCS-CUST-0004");

        Assert.Multiple(() =>
        {
            Assert.That(InUse(registered, Enhanced), Is.EqualTo(InUse(before, Enhanced) + 1));
            Assert.That(Available(registered, Enhanced), Is.EqualTo(Available(before, Enhanced) - 1));
            Assert.That(InUse(registered, UnityEnhanced), Is.EqualTo(InUse(before, UnityEnhanced) + 1));
            Assert.That(registered, Has.Count.EqualTo(before.Count), "IM and Presence consumes no license of its own");
            Assert.That(InUse(elsewhere, Enhanced), Is.EqualTo(InUse(otherBefore, Enhanced)), "only the VA registered in");
            Assert.That(deregistered.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(InUse(released, Enhanced), Is.EqualTo(InUse(before, Enhanced)));
            Assert.That(InUse(released, UnityEnhanced), Is.EqualTo(InUse(before, UnityEnhanced) + 1));
        });
    }

    [Test]
    public async Task A_cluster_registered_where_its_license_was_never_bought_shows_as_insufficient()
    {
        await SetLicensesAsync("HCS-CUST-0006", new[] { new { license = UnityEnhanced, inUse = 2, licenseDetails = new[] { new { licenseType = "TERM", quantity = 5, subscriptionId = "Sub900001" } } } });
        await RegisterAsync(await CreateTokenAsync("HCS-CUST-0006"), "cl6-foxtrot", "CUCM");

        var lines = await LinesOfAsync("HCS-CUST-0006");

        Assert.Multiple(() =>
        {
            Assert.That(lines.Select(l => (string?)l["license"]), Is.EqualTo(new[] { UnityEnhanced, Enhanced }));
            Assert.That((int?)lines[1]["quantity"], Is.Zero);
            Assert.That((int?)lines[1]["inUse"], Is.EqualTo(1));
            Assert.That((int?)lines[1]["available"], Is.EqualTo(-1));
            Assert.That((string?)lines[1]["status"], Is.EqualTo("Insufficient Licenses"));
            Assert.That(lines[1]["licenseDetails"]!.AsArray(), Is.Empty);
            Assert.That(lines[1].Select(p => p.Key), Is.EquivalentTo(LineKeys));
        });
    }

    [Test]
    public async Task An_expired_subscription_no_longer_counts_as_purchased()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await SetLicensesAsync("HCS-CUST-0007", new[]
        {
            new
            {
                license = Enhanced, inUse = 8, licenseDetails = new object[]
                {
                    new { licenseType = "TERM", quantity = 10, startDate = today.AddYears(-1), endDate = today.AddDays(1), subscriptionId = "Sub900002" },
                    new { licenseType = "PERPETUAL", quantity = 5 },
                },
            },
        });
        var before = (await LinesOfAsync("HCS-CUST-0007"))[0];

        await sim.Http.PostAsJsonAsync(new Uri("/sim/control/clock/advance", UriKind.Relative), new { seconds = 2 * 86400 });
        await sim.AuthorizeAsync();
        var after = (await LinesOfAsync("HCS-CUST-0007"))[0];

        Assert.Multiple(() =>
        {
            Assert.That(((int?)before["quantity"], (string?)before["status"]), Is.EqualTo((15, "In Compliance")));
            Assert.That(((int?)after["quantity"], (int?)after["available"], (string?)after["status"]), Is.EqualTo((5, -3, "Insufficient Licenses")));
            Assert.That(after["licenseDetails"]!.AsArray().Select(d => (string?)d!["status"]), Is.EqualTo(new[] { "EXPIRED", "ACTIVE" }));
        });
    }

    [Test]
    public async Task Errors_always_have_a_JSON_body()
    {
        var licenses = new Uri($"{SimulatorServer.Swapi}/v1/accounts/{SimulatorServer.Domain}/licenses", UriKind.Relative);
        using var malformed = await sim.Http.PostAsync(licenses, new StringContent("{\"virtualAccounts\":", Encoding.UTF8, "application/json"));
        using var badLimit = await sim.Http.PostAsJsonAsync(licenses, new { virtualAccounts = Array.Empty<string>(), limit = 0, offset = 0 });
        using var unknownPath = await sim.Http.GetAsync(new Uri($"{SimulatorServer.Swapi}/v1/no-such-thing", UriKind.Relative));

        foreach (var response in new[] { malformed, badLimit, unknownPath })
        {
            var body = await response.Content.ReadFromJsonAsync<JsonObject>();
            Assert.That(((string?)body?["status"], body?["statusMessage"]?.GetValueKind()), Is.EqualTo(("ERROR", JsonValueKind.String)), response.RequestMessage!.RequestUri!.ToString());
        }

        Assert.Multiple(() =>
        {
            Assert.That(malformed.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(badLimit.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(unknownPath.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        });
    }

    private static int InUse(IReadOnlyList<JsonObject> lines, string license) => (int)lines.Single(l => (string?)l["license"] == license)["inUse"]!;

    private static int Available(IReadOnlyList<JsonObject> lines, string license) => (int)lines.Single(l => (string?)l["license"] == license)["available"]!;

    private async Task<JsonObject> LicensesAsync(params string[] virtualAccounts)
    {
        using var response = await sim.Http.PostAsJsonAsync(
            new Uri($"{SimulatorServer.Swapi}/v1/accounts/{SimulatorServer.Domain}/licenses", UriKind.Relative),
            new { virtualAccounts, limit = 1000, offset = 0 });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private async Task<IReadOnlyList<JsonObject>> LinesOfAsync(string virtualAccount) =>
        [.. (await LicensesAsync(virtualAccount))["licenses"]!.AsArray().Select(l => l!.AsObject())];

    private async Task SetLicensesAsync(string virtualAccount, object licenses) =>
        (await sim.Http.PutAsJsonAsync(new Uri($"/sim/control/smart-accounts/{SimulatorServer.Domain}/virtual-accounts/{virtualAccount}/licenses", UriKind.Relative), licenses)).EnsureSuccessStatusCode();

    private async Task<string> CreateTokenAsync(string virtualAccount)
    {
        using var response = await sim.Http.PostAsJsonAsync(
            new Uri($"{SimulatorServer.Swapi}/v1/accounts/{SimulatorServer.Domain}/virtual-accounts/{virtualAccount}/tokens", UriKind.Relative),
            new { description = "test", expiresAfterDays = 30, exportControlled = "Not Allowed" });
        response.EnsureSuccessStatusCode();
        return (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["tokenInfo"]!["token"]!;
    }

    private async Task<string> RegisterAsync(string token, string name, string productType)
    {
        using var response = await sim.Http.PostAsJsonAsync(
            new Uri("/sim/devices/register", UriKind.Relative), new { idToken = token, productInstanceName = name, productType, version = "12.5" });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["productInstanceId"]!;
    }
}
