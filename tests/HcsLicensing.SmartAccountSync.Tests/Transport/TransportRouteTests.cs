using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using HcsLicensing.Contracts.Audit;
using HcsLicensing.Contracts.Jobs;
using HcsLicensing.SmartAccountSync.SmartAccounts;
using HcsLicensing.SmartAccountSync.Tests.Support;
using HcsLicensing.SmartAccountSync.Transport;
using HcsLicensing.TestBed;
using Npgsql;

namespace HcsLicensing.SmartAccountSync.Tests.Transport;

/// <summary>
/// The saved transport settings are the route of every CSSM call: through a real HTTP proxy (Debian's tinyproxy, with
/// and without basic authentication) or direct, to the saved URLs, from the moment they are saved; a bad route is
/// refused by ?verify=true and fails the next sync's Authentication step with the reason.
/// </summary>
public class TransportRouteTests
{
    private const string ProxyUser = "hcs-proxy";

    [Test]
    public async Task A_saved_proxy_carries_every_CSSM_call_and_after_Direct_is_saved_none_goes_through_it()
    {
        await using var proxy = await LocalHttpProxy.StartAsync();
        await using var host = await SyncHost.StartAsync(virtualAccounts: 30);
        using var saved = await PutAsync(host, Proxied(host, proxy), verify: true);
        Assert.That(saved.StatusCode, Is.EqualTo(HttpStatusCode.OK), await saved.Content.ReadAsStringAsync());

        var configured = await host.ConfigureDemoAndWaitAsync();
        var proxied = await proxy.RequestsAsync();
        var cssmCalls = await CssmCallsAsync(host.Cssm);
        var authentication = await host.Bus.WaitForAsync<JobStepChanged>(s => s.JobId == configured.SyncJobId && s.Step == "Authentication" && s.Status == JobStepStatus.Pass);

        using var direct = await PutAsync(host, Proxied(host, proxy) with { Mode = "Direct", ProxyHost = null, ProxyPort = null }, verify: true);
        var directSync = await host.WaitForSyncAsync((await host.RequestSyncAsync(configured.SmartAccount.Id)).JobId);
        var directAuthentication = await host.Bus.WaitForAsync<JobStepChanged>(s => s.JobId == directSync.JobId && s.Step == "Authentication" && s.Status == JobStepStatus.Pass);

        Assert.Multiple(async () =>
        {
            Assert.That(proxied, Does.Contain($"POST {host.Cssm.TokenUrl}"), "the token endpoint through the proxy");
            Assert.That(proxied, Does.Contain($"GET {host.Cssm.SwapiBaseUrl}v2/accounts"), "swapi's account check through the proxy");
            Assert.That(proxied, Does.Contain($"GET {host.Cssm.SwapiBaseUrl}v1/accounts/{Simulator.Domain}/CUSTOMER/virtual-accounts"), "the sync's fetch through the proxy");
            Assert.That(proxied, Does.Contain($"POST {host.Cssm.SwapiBaseUrl}v1/accounts/{Simulator.Domain}/licenses"), "the sync's license report through the proxy");
            // The verification's token request went through it too: every call CSSM saw came through the proxy.
            Assert.That(proxied, Has.Count.EqualTo(cssmCalls), string.Join("\n", proxied));
            Assert.That(authentication.Detail, Does.Contain($"via proxy {proxy.Host}:{proxy.Port}"));
            Assert.That(direct.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(directSync.Status, Is.EqualTo("Succeeded"));
            Assert.That(directAuthentication.Detail, Does.Contain("direct"));
            Assert.That(await proxy.RequestsAsync(), Has.Count.EqualTo(proxied.Count), "nothing through the proxy once Direct is saved");
            Assert.That(await CssmCallsAsync(host.Cssm), Is.GreaterThan(cssmCalls), "the direct sync reached CSSM");
        });
    }

    [Test]
    public async Task A_proxy_with_basic_authentication_takes_the_saved_password_which_is_stored_encrypted_and_never_returned()
    {
        var password = $"pw-{Guid.NewGuid():N}";
        await using var proxy = await LocalHttpProxy.StartAsync(ProxyUser, password);
        await using var host = await SyncHost.StartAsync(virtualAccounts: 30, settings: new Dictionary<string, string> { ["Cssm:MaxRetries"] = "1" });
        var before = await host.GetAsync<TransportSettingsDto>("/transport-settings");

        using var wrong = await PutAsync(host, Proxied(host, proxy) with { ProxyUser = ProxyUser, ProxyPassword = "not-the-password" }, verify: true);
        var wrongProblem = await wrong.Content.ReadFromJsonAsync<JsonObject>();
        var afterWrong = await host.GetAsync<TransportSettingsDto>("/transport-settings");
        using var noPassword = await PutAsync(host, Proxied(host, proxy), verify: true);
        var noPasswordProblem = await noPassword.Content.ReadFromJsonAsync<JsonObject>();

        using var right = await PutAsync(host, Proxied(host, proxy) with { ProxyUser = ProxyUser, ProxyPassword = password }, verify: true);
        var rightBody = await right.Content.ReadAsStringAsync();
        var configured = await host.ConfigureDemoAndWaitAsync();
        var sync = await host.GetAsync<SyncDto>($"/syncs/{configured.SyncJobId}");
        var proxied = await proxy.RequestsAsync();
        // Saving again without a password keeps the saved one for the same user.
        using var kept = await PutAsync(host, Proxied(host, proxy) with { ProxyUser = ProxyUser }, verify: true);
        var stored = await StoredProxyPasswordAsync(host);
        var reread = await host.Http.GetStringAsync(new Uri("/transport-settings", UriKind.Relative));
        var audited = await Eventually.Poll(
            () => Task.FromResult(host.Bus.Received<ConfigurationChanged>().Where(a => a.EntityType == "Transport Settings").ToList()),
            lines => lines.Count >= 2,
            TimeSpan.FromSeconds(30));

        Assert.Multiple(() =>
        {
            Assert.That(audited.Select(a => (a.EntityType, a.EntityName)), Is.EqualTo(new[] { ("Transport Settings", "(default)"), ("Transport Settings", "(default)") }), "one audit line per save; refused saves none");
            Assert.That(audited.Select(a => a.Change), Is.All.Contains($"as {ProxyUser} (password set)").And.All.Not.Contain(password), "the user and whether a password is set, never the password");
            Assert.That(wrong.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
            Assert.That((string?)wrongProblem!["reason"], Is.EqualTo(RouteFailure.ProxyAuthenticationRequired));
            Assert.That((string?)wrongProblem["detail"], Does.Contain($"refused user {ProxyUser} (HTTP 407)"));
            Assert.That(afterWrong, Is.EqualTo(before), "a failed check saves nothing");
            Assert.That((string?)noPasswordProblem!["reason"], Is.EqualTo(RouteFailure.ProxyAuthenticationRequired));
            Assert.That((string?)noPasswordProblem["detail"], Does.Contain("requires authentication (HTTP 407)"));
            Assert.That(right.StatusCode, Is.EqualTo(HttpStatusCode.OK), rightBody);
            Assert.That(sync!.Status, Is.EqualTo("Succeeded"));
            Assert.That(proxied, Does.Contain($"GET {host.Cssm.SwapiBaseUrl}v1/accounts/{Simulator.Domain}/CUSTOMER/virtual-accounts"));
            Assert.That(kept.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the kept password still passes the proxy");
            Assert.That(stored, Is.Not.Null.And.Not.Contain(password), "stored as ciphertext");
            Assert.That(rightBody + reread, Does.Not.Contain(password).And.Contain(ProxyUser), "the password is never returned");
            Assert.That(host.Logs.Lines.Where(l => l.Contains(password, StringComparison.Ordinal)), Is.Empty, "nor logged");
        });
    }

    [Test]
    public async Task A_wrong_proxy_port_or_password_is_refused_by_verify_and_once_saved_fails_the_next_sync_at_Authentication()
    {
        var password = $"pw-{Guid.NewGuid():N}";
        await using var proxy = await LocalHttpProxy.StartAsync(ProxyUser, password);
        await using var host = await SyncHost.StartAsync(virtualAccounts: 30, settings: new Dictionary<string, string> { ["Cssm:MaxRetries"] = "1" });
        var configured = await host.ConfigureDemoAndWaitAsync();
        var closedPort = LocalHttpProxy.UnusedPort();
        var wrongPort = Proxied(host, proxy) with { ProxyPort = closedPort, ProxyUser = ProxyUser, ProxyPassword = password };
        var wrongPassword = Proxied(host, proxy) with { ProxyUser = ProxyUser, ProxyPassword = "not-the-password" };

        using var portChecked = await PutAsync(host, wrongPort, verify: true);
        var portProblem = await portChecked.Content.ReadFromJsonAsync<JsonObject>();
        using var portSaved = await PutAsync(host, wrongPort, verify: false);
        var portSync = await host.WaitForSyncAsync((await host.RequestSyncAsync(configured.SmartAccount.Id)).JobId);
        var portFailed = await host.Bus.WaitForAsync<JobFailed>(f => f.JobId == portSync.JobId);

        using var passwordChecked = await PutAsync(host, wrongPassword, verify: true);
        var passwordProblem = await passwordChecked.Content.ReadFromJsonAsync<JsonObject>();
        using var passwordSaved = await PutAsync(host, wrongPassword, verify: false);
        var passwordSync = await host.WaitForSyncAsync((await host.RequestSyncAsync(configured.SmartAccount.Id)).JobId);
        var passwordFailed = await host.Bus.WaitForAsync<JobFailed>(f => f.JobId == passwordSync.JobId);

        Assert.Multiple(() =>
        {
            Assert.That(portChecked.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
            Assert.That((string?)portProblem!["reason"], Is.EqualTo(RouteFailure.ProxyUnreachable));
            Assert.That((string?)portProblem["detail"], Does.Contain($"proxy 127.0.0.1:{closedPort} could not be reached"));
            Assert.That(portSaved.StatusCode, Is.EqualTo(HttpStatusCode.OK), "without verify the operator's word is taken");
            Assert.That(portSync.Status, Is.EqualTo("Failed"));
            Assert.That(portFailed.FailedStep, Is.EqualTo("Authentication"), "a changed route authenticates again, through itself");
            Assert.That(portFailed.ErrorDescription, Does.Contain($"proxy 127.0.0.1:{closedPort} could not be reached"));

            Assert.That((string?)passwordProblem!["reason"], Is.EqualTo(RouteFailure.ProxyAuthenticationRequired));
            Assert.That(passwordSaved.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(passwordFailed.FailedStep, Is.EqualTo("Authentication"));
            Assert.That(passwordFailed.ErrorDescription, Does.Contain($"proxy {proxy.Host}:{proxy.Port} refused user {ProxyUser} (HTTP 407)"));
            Assert.That(passwordFailed.RecommendedAction, Does.Contain("transport settings"));
        });
    }

    [Test]
    public async Task The_token_and_swapi_calls_go_to_the_saved_URLs_from_the_moment_they_are_saved()
    {
        await using var host = await SyncHost.StartAsync(virtualAccounts: 30);
        // A second CSSM that knows the same API client, with another number of VAs: whichever answered shows in the sync.
        await using var other = await Simulator.StartAsync(virtualAccounts: 12, secret: host.Cssm.Secret);
        var configured = await host.ConfigureDemoAndWaitAsync();
        var first = (await host.GetAsync<SyncDto>($"/syncs/{configured.SyncJobId}"))!;
        var firstCssmCalls = await CssmCallsAsync(host.Cssm);

        var idCiscoStyle = new Uri(other.Address, "/oauth2/default/v1/token");
        using var saved = await PutAsync(host, new TransportSettingsDto("Direct", null, null, idCiscoStyle.ToString(), other.SwapiBaseUrl.ToString()), verify: true);
        var sync = await host.WaitForSyncAsync((await host.RequestSyncAsync(configured.SmartAccount.Id)).JobId);

        Assert.Multiple(async () =>
        {
            Assert.That(first.VirtualAccounts + first.SkippedSatellite, Is.EqualTo(30), "the configured CSSM answered the first sync");
            Assert.That(saved.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(sync.Status, Is.EqualTo("Succeeded"));
            Assert.That(sync.VirtualAccounts + sync.SkippedSatellite, Is.EqualTo(12), "the saved CSSM server answered the sync");
            Assert.That(await other.CallsAsync("POST", "/oauth2/default/v1/token"), Is.EqualTo(2), "the check and the sync's token at the saved gateway");
            Assert.That(await other.CallsAsync("GET", "/virtual-accounts"), Is.EqualTo(1));
            Assert.That(await CssmCallsAsync(host.Cssm), Is.EqualTo(firstCssmCalls), "nothing more to the configured CSSM");
        });
    }

    [Test]
    public async Task HTTPS_goes_through_the_proxy_as_a_CONNECT_tunnel_and_a_certificate_that_does_not_name_the_host_fails_as_TLS()
    {
        var password = $"pw-{Guid.NewGuid():N}";
        await using var proxy = await LocalHttpProxy.StartAsync(ProxyUser, password);
        await using var host = await SyncHost.StartAsync(virtualAccounts: 30, cssmTls: true, settings: new Dictionary<string, string> { ["Cssm:MaxRetries"] = "1" });
        var tunneled = Proxied(host, proxy) with { ProxyUser = ProxyUser, ProxyPassword = password };
        using var saved = await PutAsync(host, tunneled, verify: true);
        var configured = await host.ConfigureDemoAndWaitAsync();
        var sync = await host.GetAsync<SyncDto>($"/syncs/{configured.SyncJobId}");
        var proxied = await proxy.RequestsAsync();
        // The simulator's certificate names 127.0.0.1 only.
        var misnamed = tunneled with { AuthenticationGateway = host.Cssm.TokenUrl.ToString().Replace("127.0.0.1", "localhost", StringComparison.Ordinal) };
        using var tls = await PutAsync(host, misnamed, verify: true);
        var tlsProblem = await tls.Content.ReadFromJsonAsync<JsonObject>();

        Assert.Multiple(() =>
        {
            Assert.That(host.Cssm.TokenUrl.Scheme, Is.EqualTo("https"));
            Assert.That(saved.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the check's token request went through the tunnel");
            Assert.That(sync!.Status, Is.EqualTo("Succeeded"));
            Assert.That(proxied, Has.Some.EqualTo($"CONNECT 127.0.0.1:{host.Cssm.Address.Port}"), "HTTPS through the proxy is a CONNECT tunnel");
            Assert.That(proxied.Where(r => r.Contains("/services/api/", StringComparison.Ordinal)), Is.Empty, "the proxy sees no request inside the tunnel");
            Assert.That(tls.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
            Assert.That((string?)tlsProblem!["reason"], Is.EqualTo(RouteFailure.TlsFailed));
            Assert.That((string?)tlsProblem["detail"], Does.Contain($"TLS with https://localhost:{host.Cssm.Address.Port} via proxy {proxy.Host}:{proxy.Port} failed"));
        });
    }

    [Test]
    public async Task Settings_another_replica_saved_are_read_from_the_database_once_this_replica_s_copy_is_older_than_TransportRefresh()
    {
        var clock = new ShiftedClock();
        await using var proxy = await LocalHttpProxy.StartAsync();
        await using var host = await SyncHost.StartAsync(virtualAccounts: 30, clock: clock);
        var configured = await host.ConfigureDemoAndWaitAsync();
        // Another replica's save: a row in the shared database, which this replica was not told about.
        await using (var connection = new NpgsqlConnection(host.Database))
        {
            await connection.OpenAsync();
            await using var save = new NpgsqlCommand(
                "INSERT INTO transport_settings (id, mode, proxy_host, proxy_port, authentication_gateway, cssm_server, updated_at) VALUES (1, 'Proxy', @host, @port, @token, @swapi, now())",
                connection);
            save.Parameters.AddWithValue("host", proxy.Host);
            save.Parameters.AddWithValue("port", proxy.Port);
            save.Parameters.AddWithValue("token", host.Cssm.TokenUrl.ToString());
            save.Parameters.AddWithValue("swapi", host.Cssm.SwapiBaseUrl.ToString());
            await save.ExecuteNonQueryAsync();
        }

        clock.Advance(TimeSpan.FromSeconds(3)); // past Cssm:TransportRefresh (2 s)
        var sync = await host.WaitForSyncAsync((await host.RequestSyncAsync(configured.SmartAccount.Id)).JobId);
        var authentication = await host.Bus.WaitForAsync<JobStepChanged>(s => s.JobId == sync.JobId && s.Step == "Authentication" && s.Status == JobStepStatus.Pass);

        Assert.Multiple(async () =>
        {
            Assert.That(sync.Status, Is.EqualTo("Succeeded"));
            Assert.That(authentication.Detail, Does.Contain($"via proxy {proxy.Host}:{proxy.Port}"));
            Assert.That(await proxy.RequestsAsync(), Does.Contain($"GET {host.Cssm.SwapiBaseUrl}v1/accounts/{Simulator.Domain}/CUSTOMER/virtual-accounts"));
        });
    }

    [Test]
    public async Task A_smart_account_with_a_route_of_its_own_goes_through_its_proxy_while_the_others_take_the_default()
    {
        await using var proxy = await LocalHttpProxy.StartAsync();
        await using var host = await SyncHost.StartAsync(virtualAccounts: 30);
        var own = new Uri($"/smart-accounts/{Simulator.OtherDomain}/transport-settings", UriKind.Relative);
        using var unreachable = await host.Http.PutAsJsonAsync(new Uri($"{own}?verify=true", UriKind.Relative), Proxied(host, proxy) with { ProxyPort = LocalHttpProxy.UnusedPort() });
        var unreachableProblem = await unreachable.Content.ReadFromJsonAsync<JsonObject>();
        var noneYet = await host.Http.GetAsync(own);
        // Saved before the smart account is configured: its configuration's calls take the route already.
        using var saved = await host.Http.PutAsJsonAsync(new Uri($"{own}?verify=true", UriKind.Relative), Proxied(host, proxy));

        await host.ConfigureDemoAndWaitAsync();
        var afterDemo = await proxy.RequestsAsync();
        using var other = await host.ConfigureAsync(Simulator.OtherDomain, Simulator.OtherClientId, Simulator.OtherSecret);
        var otherSync = await host.WaitForSyncAsync((await other.Content.ReadFromJsonAsync<SmartAccountConfiguredDto>(SyncHost.Json))!.SyncJobId);
        var afterOther = await proxy.RequestsAsync();
        var reread = await host.GetAsync<TransportSettingsDto>(own.ToString());
        using var deleted = await host.Http.DeleteAsync(own);
        var defaultRoute = await host.GetAsync<TransportSettingsDto>("/transport-settings");

        Assert.Multiple(() =>
        {
            Assert.That((string?)unreachableProblem!["reason"], Is.EqualTo(RouteFailure.ProxyUnreachable));
            Assert.That(noneYet.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(saved.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(afterDemo, Has.Count.EqualTo(1), "only the check went through the proxy: HCS-DEMO takes the default route, Direct");
            Assert.That(otherSync.Status, Is.EqualTo("Succeeded"));
            Assert.That(afterOther, Does.Contain($"GET {host.Cssm.SwapiBaseUrl}v1/accounts/{Simulator.OtherDomain}/CUSTOMER/virtual-accounts"));
            Assert.That(afterOther.Where(r => r.Contains(Simulator.Domain + "/", StringComparison.Ordinal)), Is.Empty, "none of HCS-DEMO's calls");
            Assert.That(reread, Is.EqualTo(Proxied(host, proxy)));
            Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(defaultRoute!.Mode, Is.EqualTo("Direct"));
        });
    }

    private static TransportSettingsDto Proxied(SyncHost host, LocalHttpProxy proxy) =>
        new("Proxy", proxy.Host, proxy.Port, host.Cssm.TokenUrl.ToString(), host.Cssm.SwapiBaseUrl.ToString());

    private static Task<HttpResponseMessage> PutAsync(SyncHost host, TransportSettingsDto settings, bool verify) =>
        host.Http.PutAsJsonAsync(new Uri($"/transport-settings{(verify ? "?verify=true" : "")}", UriKind.Relative), settings);

    /// <summary>Every call the simulator answered on the token endpoint and swapi.</summary>
    private static async Task<int> CssmCallsAsync(Simulator cssm) =>
        await cssm.CallsAsync("POST", "/as/token.oauth2") + await cssm.CallsAsync("GET", "/v2/accounts") + await cssm.CallsAsync("GET", "/virtual-accounts")
        + await cssm.CallsAsync("POST", "/licenses");

    private static async Task<string?> StoredProxyPasswordAsync(SyncHost host)
    {
        await using var connection = new NpgsqlConnection(host.Database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT protected_proxy_password FROM transport_settings", connection);
        return (string?)await command.ExecuteScalarAsync();
    }
}
