using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace HcsLicensing.CssmSimulator.Tests;

/// <summary>The device side the UC application simulator calls: register with an ID token, re-register, deregister.</summary>
public class DeviceTests
{
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
    public async Task A_cluster_registers_into_the_tokens_VA_and_moves_with_another_token_keeping_its_id()
    {
        var alfa = await CreateTokenAsync("HCS-CUST-0002");
        var bravo = await CreateTokenAsync("HCS-CUST-0003");

        var first = await RegisterAsync(alfa, "cl1-alfa");
        var moved = await RegisterAsync(bravo, "cl1-alfa");
        var inAlfa = await sim.GetJsonAsync($"/sim/inspect/virtual-accounts/{SimulatorServer.Domain}/HCS-CUST-0002/product-instances");
        var inBravo = await sim.GetJsonAsync($"/sim/inspect/virtual-accounts/{SimulatorServer.Domain}/HCS-CUST-0003/product-instances");

        Assert.Multiple(() =>
        {
            Assert.That((string?)first["smartAccountDomain"], Is.EqualTo(SimulatorServer.Domain));
            Assert.That((string?)first["virtualAccount"], Is.EqualTo("HCS-CUST-0002"));
            Assert.That((string?)moved["virtualAccount"], Is.EqualTo("HCS-CUST-0003"));
            Assert.That((string?)moved["productInstanceId"], Is.EqualTo((string?)first["productInstanceId"]));
            Assert.That(inAlfa.AsArray(), Is.Empty);
            Assert.That((string?)inBravo[0]!["productInstanceName"], Is.EqualTo("cl1-alfa"));
            Assert.That((string?)inBravo[0]!["productType"], Is.EqualTo("CUCM"));
        });
    }

    [Test]
    public async Task An_unknown_or_expired_token_is_refused_with_invalid_token()
    {
        var token = await CreateTokenAsync("HCS-CUST-0002", days: 1);
        using var unknown = await PostRegisterAsync("no-such-token", "cl1-alfa");
        await sim.Http.PostAsJsonAsync(new Uri("/sim/control/clock/advance", UriKind.Relative), new { seconds = 2 * 86400 });
        using var expired = await PostRegisterAsync(token, "cl1-alfa");

        Assert.Multiple(async () =>
        {
            Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That((string?)(await unknown.Content.ReadFromJsonAsync<JsonObject>())!["error"], Is.EqualTo("invalid_token"));
            Assert.That(expired.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That((string?)(await expired.Content.ReadFromJsonAsync<JsonObject>())!["error_description"], Does.Contain("expired"));
        });
    }

    [Test]
    public async Task Deregistering_removes_the_instance_and_a_second_time_is_404()
    {
        var registered = await RegisterAsync(await CreateTokenAsync("HCS-CUST-0004"), "cl2-bravo");
        var id = (string)registered["productInstanceId"]!;

        using var first = await sim.Http.PostAsync(new Uri($"/sim/devices/{id}/deregister", UriKind.Relative), null);
        using var second = await sim.Http.PostAsync(new Uri($"/sim/devices/{id}/deregister", UriKind.Relative), null);
        var left = await sim.GetJsonAsync($"/sim/inspect/virtual-accounts/{SimulatorServer.Domain}/HCS-CUST-0004/product-instances");

        Assert.Multiple(() =>
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(left.AsArray(), Is.Empty);
        });
    }

    private async Task<string> CreateTokenAsync(string virtualAccount, int days = 30)
    {
        using var response = await sim.Http.PostAsJsonAsync(
            new Uri($"{SimulatorServer.Swapi}/v1/accounts/{SimulatorServer.Domain}/virtual-accounts/{virtualAccount}/tokens", UriKind.Relative),
            new { description = "test", expiresAfterDays = days, exportControlled = "Not Allowed" });
        response.EnsureSuccessStatusCode();
        return (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["tokenInfo"]!["token"]!;
    }

    private Task<HttpResponseMessage> PostRegisterAsync(string token, string name) =>
        sim.Http.PostAsJsonAsync(new Uri("/sim/devices/register", UriKind.Relative), new { idToken = token, productInstanceName = name, productType = "CUCM", version = "12.5" });

    private async Task<JsonObject> RegisterAsync(string token, string name)
    {
        using var response = await PostRegisterAsync(token, name);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }
}
