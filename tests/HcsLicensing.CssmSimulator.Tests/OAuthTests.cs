using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace HcsLicensing.CssmSimulator.Tests;

/// <summary>The client-credentials endpoint answers as Cisco's cloud SSO does, and its tokens expire.</summary>
public class OAuthTests
{
    private SimulatorServer sim = null!;

    [SetUp]
    public async Task Start() => sim = await SimulatorServer.StartAsync(virtualAccounts: 5);

    [TearDown]
    public async Task Stop() => await sim.DisposeAsync();

    [Test]
    public async Task Right_credentials_get_a_bearer_token_with_its_lifetime()
    {
        using var response = await sim.RequestTokenAsync();
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((string?)body!["token_type"], Is.EqualTo("Bearer"));
            Assert.That((int?)body["expires_in"], Is.EqualTo(3599));
            Assert.That((string?)body["access_token"], Is.Not.Empty);
            Assert.That(response.Headers.CacheControl?.NoStore, Is.True);
        });
    }

    [Test]
    public async Task Wrong_secret_is_401_invalid_client_and_a_wrong_grant_is_400()
    {
        using var wrongSecret = await sim.RequestTokenAsync(secret: "not-the-secret");
        using var wrongGrant = await sim.RequestTokenAsync(grantType: "password");

        Assert.Multiple(async () =>
        {
            Assert.That(wrongSecret.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That((string?)(await wrongSecret.Content.ReadFromJsonAsync<JsonObject>())!["error"], Is.EqualTo("invalid_client"));
            Assert.That(wrongGrant.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That((string?)(await wrongGrant.Content.ReadFromJsonAsync<JsonObject>())!["error"], Is.EqualTo("unsupported_grant_type"));
        });
    }

    [Test]
    public async Task An_expired_or_revoked_bearer_token_gets_401_invalid_token()
    {
        await sim.AuthorizeAsync();
        using var fresh = await sim.Http.GetAsync(new Uri($"{SimulatorServer.Swapi}/v2/accounts", UriKind.Relative));
        await sim.Http.PostAsJsonAsync(new Uri("/sim/control/clock/advance", UriKind.Relative), new { seconds = 3600 });
        using var expired = await sim.Http.GetAsync(new Uri($"{SimulatorServer.Swapi}/v2/accounts", UriKind.Relative));

        await sim.AuthorizeAsync();
        await sim.Http.PostAsync(new Uri("/sim/control/oauth/revoke", UriKind.Relative), null);
        using var revoked = await sim.Http.GetAsync(new Uri($"{SimulatorServer.Swapi}/v2/accounts", UriKind.Relative));
        var oauth = await sim.GetJsonAsync("/sim/inspect/oauth");

        Assert.Multiple(async () =>
        {
            Assert.That(fresh.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(expired.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That((string?)(await expired.Content.ReadFromJsonAsync<JsonObject>())!["error_description"], Is.EqualTo("The access token expired"));
            Assert.That(expired.Headers.WwwAuthenticate.ToString(), Does.StartWith("Bearer error=\"invalid_token\""));
            Assert.That(revoked.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That((int?)oauth["tokensIssued"]![SimulatorServer.ClientId], Is.EqualTo(2));
            Assert.That((int?)oauth["rejectedBearers"], Is.EqualTo(2));
        });
    }
}
