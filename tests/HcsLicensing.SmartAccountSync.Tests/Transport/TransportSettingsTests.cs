using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using HcsLicensing.SmartAccountSync.Tests.Support;
using HcsLicensing.SmartAccountSync.Transport;

namespace HcsLicensing.SmartAccountSync.Tests.Transport;

/// <summary>The transport settings towards CSSM: read, changed, and their validation.</summary>
public class TransportSettingsTests
{
    private SyncHost host = null!;

    [OneTimeSetUp]
    public async Task Start() => host = await SyncHost.StartAsync(virtualAccounts: 1);

    [OneTimeTearDown]
    public async Task Stop() => await host.DisposeAsync();

    [Test]
    public async Task Transport_settings_read_the_configured_CSSM_then_change_to_a_proxy_and_refuse_bad_values()
    {
        var initial = await host.GetAsync<TransportSettingsDto>("/transport-settings");
        var proxy = new TransportSettingsDto("Proxy", "proxy.hcs.example.com", 8080, "https://id.cisco.com/oauth2/default/v1/token", "https://swapi.cisco.com/services/api/smart-accounts-and-licensing/");
        using var saved = await host.Http.PutAsJsonAsync(new Uri("/transport-settings", UriKind.Relative), proxy);
        var reread = await host.GetAsync<TransportSettingsDto>("/transport-settings");
        using var bad = await host.Http.PutAsJsonAsync(new Uri("/transport-settings", UriKind.Relative), new TransportSettingsDto("Proxy", "", 70000, "not a url", null));
        var problem = await bad.Content.ReadFromJsonAsync<JsonObject>();
        using var directWithProxy = await host.Http.PutAsJsonAsync(new Uri("/transport-settings", UriKind.Relative), proxy with { Mode = "Direct" });

        Assert.Multiple(() =>
        {
            Assert.That(initial, Is.EqualTo(new TransportSettingsDto("Direct", null, null, host.Cssm.TokenUrl.ToString(), host.Cssm.SwapiBaseUrl.ToString())));
            Assert.That(saved.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(reread, Is.EqualTo(proxy));
            Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(problem!["errors"]!.AsObject().Select(e => e.Key), Is.EquivalentTo(new[] { "proxyHost", "proxyPort", "authenticationGateway", "cssmServer" }));
            Assert.That(directWithProxy.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        });
    }
}
