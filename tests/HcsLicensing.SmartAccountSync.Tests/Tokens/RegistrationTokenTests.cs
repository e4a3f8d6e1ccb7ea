using System.Net.Http.Json;
using HcsLicensing.Contracts.SmartAccounts;
using HcsLicensing.SmartAccountSync.Tests.Support;

namespace HcsLicensing.SmartAccountSync.Tests.Tokens;

/// <summary>GetRegistrationTokenRequest as ClusterAssign sends it: a token with time left, reused; typed refusals.</summary>
public class RegistrationTokenTests
{
    private SyncHost host = null!;

    [SetUp]
    public async Task Start()
    {
        host = await SyncHost.StartAsync(virtualAccounts: 30, settings: new Dictionary<string, string> { ["Cssm:BreakDuration"] = "00:00:01" });
        await host.ConfigureDemoAndWaitAsync();
    }

    [TearDown]
    public async Task Stop() => await host.DisposeAsync();

    [Test]
    public async Task A_VA_gets_a_new_30_day_token_then_the_same_one_again()
    {
        var first = await host.Bus.RequestTokenAsync(Simulator.Domain, "HCS-CUST-0002");
        var second = await host.Bus.RequestTokenAsync(Simulator.Domain, "HCS-CUST-0002");

        Assert.Multiple(async () =>
        {
            Assert.That(first.Issued, Is.Not.Null, first.Refused?.Detail);
            Assert.That(first.Issued!.Reused, Is.False);
            Assert.That(first.Issued.ExpiresAt, Is.EqualTo(DateTimeOffset.UtcNow.AddDays(30)).Within(TimeSpan.FromMinutes(5)));
            Assert.That(second.Issued?.Token, Is.EqualTo(first.Issued.Token));
            Assert.That(second.Issued!.Reused, Is.True);
            Assert.That(await host.Cssm.CallsAsync("POST", "/HCS-CUST-0002/tokens"), Is.EqualTo(1), "one token created in CSSM");
        });
    }

    [Test]
    public async Task A_token_in_CSSM_with_enough_time_left_is_reused_and_one_about_to_expire_is_not()
    {
        var lasting = await CreateInCssmAsync("HCS-CUST-0004", days: 20);
        await CreateInCssmAsync("HCS-CUST-0005", days: 1); // less than the minimum remaining of a day, once a moment passed

        var reused = await host.Bus.RequestTokenAsync(Simulator.Domain, "HCS-CUST-0004");
        var fresh = await host.Bus.RequestTokenAsync(Simulator.Domain, "HCS-CUST-0005");

        Assert.Multiple(() =>
        {
            Assert.That(reused.Issued?.Token, Is.EqualTo(lasting));
            Assert.That(reused.Issued!.Reused, Is.True);
            Assert.That(fresh.Issued!.Reused, Is.False);
            Assert.That(fresh.Issued.ExpiresAt, Is.GreaterThan(DateTimeOffset.UtcNow.AddDays(29)));
        });
    }

    [Test]
    public async Task Satellite_unknown_and_foreign_VAs_get_typed_refusals()
    {
        var satellite = (await host.Cssm.SatelliteNamesAsync())[0];

        var viaSatellite = await host.Bus.RequestTokenAsync(Simulator.Domain, satellite);
        var unknown = await host.Bus.RequestTokenAsync(Simulator.Domain, "HCS-NO-SUCH-VA");
        var unknownAccount = await host.Bus.RequestTokenAsync("nobody.example.com", "HCS-CUST-0002");

        Assert.Multiple(() =>
        {
            Assert.That(viaSatellite.Refused?.Reason, Is.EqualTo(RegistrationTokenRefusalReason.SatelliteSynced));
            Assert.That(viaSatellite.Refused!.Detail, Does.Contain("satellite"));
            Assert.That(unknown.Refused?.Reason, Is.EqualTo(RegistrationTokenRefusalReason.UnknownVirtualAccount));
            Assert.That(unknownAccount.Refused?.Reason, Is.EqualTo(RegistrationTokenRefusalReason.UnknownSmartAccount));
        });
    }

    [Test]
    public async Task Concurrent_requests_for_one_VA_share_one_new_token()
    {
        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => host.Bus.RequestTokenAsync(Simulator.Domain, "HCS-CUST-0006")));

        Assert.Multiple(async () =>
        {
            Assert.That(answers.Select(a => a.Issued?.Token).Distinct().ToList(), Has.Count.EqualTo(1).And.None.Null);
            Assert.That(await host.Cssm.CallsAsync("POST", "/HCS-CUST-0006/tokens"), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task A_token_whose_creation_answer_was_lost_is_found_in_CSSM_not_created_twice()
    {
        // CSSM creates the token, but the answer never arrives (a proxy answers 504).
        await host.Cssm.SetFaultsAsync(new { loseAnswerNext = 1 });

        var answer = await host.Bus.RequestTokenAsync(Simulator.Domain, "HCS-CUST-0007");

        Assert.Multiple(async () =>
        {
            Assert.That(answer.Issued, Is.Not.Null, answer.Refused?.Detail);
            Assert.That(answer.Issued!.Reused, Is.False, "it is the token this request created");
            Assert.That(await host.Cssm.CallsAsync("POST", "/HCS-CUST-0007/tokens"), Is.EqualTo(1), "one creation: the lost answer was looked up, not retried");
            Assert.That(await host.Cssm.CallsAsync("GET", "/HCS-CUST-0007/tokens"), Is.EqualTo(2), "listed before creating and after the lost answer");
        });
    }

    [Test]
    public async Task A_token_request_that_finds_CSSM_failing_is_answered_once_CSSM_is_back()
    {
        // More 503s in a row than one call's retries (1 + 6) absorb, and the circuit opens (for 1 s here): the request is
        // tried again later, 2, 4, 8 s apart, not refused.
        await host.Cssm.SetFaultsAsync(new { failNext = 9 });

        var answer = await host.Bus.RequestTokenAsync(Simulator.Domain, "HCS-CUST-0008");

        Assert.Multiple(async () =>
        {
            Assert.That(answer.Issued, Is.Not.Null, answer.Refused?.Detail);
            Assert.That(host.Logs.Lines.Count(l => l.Contains("HCS-CUST-0008", StringComparison.Ordinal) && l.Contains("trying again", StringComparison.Ordinal)), Is.GreaterThanOrEqualTo(1));
            Assert.That(await host.Cssm.CallsAsync("POST", "/HCS-CUST-0008/tokens"), Is.EqualTo(1), "one token created");
        });
    }

    private async Task<string> CreateInCssmAsync(string virtualAccount, int days)
    {
        using var tokenResponse = await host.Cssm.Http.PostAsync(host.Cssm.TokenUrl, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = Simulator.ClientId,
            ["client_secret"] = host.Cssm.Secret,
        }));
        var bearer = (string)(await tokenResponse.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!["access_token"]!;
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(host.Cssm.SwapiBaseUrl, $"v1/accounts/{Simulator.Domain}/virtual-accounts/{virtualAccount}/tokens"))
        {
            Content = JsonContent.Create(new { description = "made by an admin", expiresAfterDays = days, exportControlled = "Not Allowed" }),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
        using var created = await host.Cssm.Http.SendAsync(request);
        return (string)(await created.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!["tokenInfo"]!["token"]!;
    }
}
