using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using HcsLicensing.Chpa.Tests.Support;
using HcsLicensing.TestBed;

namespace HcsLicensing.Chpa.Tests.UcSimulator;

/// <summary>The UC simulator on its own, as any client of its licensing API sees it on a real port.</summary>
public class UcSimulatorTests
{
    private Simulators _simulators = null!;

    [OneTimeSetUp]
    public async Task StartSimulators() => _simulators = await Simulators.GetAsync();

    [Test]
    public async Task Three_thousand_clusters_seeded_from_configuration_each_answer_with_their_own_credentials()
    {
        var app = await Simulators.StartUcSimulatorAsync(_simulators.Cssm.BaseAddress, new Dictionary<string, string?>
        {
            ["UcSimulator:Generated:Count"] = "3000",
            ["UcSimulator:Generated:ManagementPassword"] = "mgmt",
        });
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
            var page = await http.GetFromJsonAsync<JsonObject>(new Uri("/admin/clusters?offset=2995&limit=10", UriKind.Relative));
            var status = await GetStatusAsync(http, "hcs-cl-2999-pub.hcs.example", "ccmadministrator", "mgmt-2999");
            var otherPassword = await GetStatusAsync(http, "hcs-cl-2999-pub.hcs.example", "ccmadministrator", "mgmt-2998");

            Assert.Multiple(() =>
            {
                Assert.That((int)page!["total"]!, Is.EqualTo(3000));
                Assert.That(page["items"]!.AsArray().Select(i => (string)i!["name"]!), Is.EqualTo(new[] { "hcs-cl-2996", "hcs-cl-2997", "hcs-cl-2998", "hcs-cl-2999", "hcs-cl-3000" }));
                Assert.That(status.StatusCode, Is.EqualTo(HttpStatusCode.OK));
                Assert.That(otherPassword.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "another cluster's password is refused");
            });
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    [Test]
    public async Task A_register_restarts_the_publisher_then_the_cluster_is_a_product_instance_of_the_tokens_virtual_account()
    {
        var cluster = ClusterSpec.New("sim-reg");
        await _simulators.Uc.PutClusterAsync(cluster, knobs: new { restartSeconds = 2 });
        var token = await _simulators.Cssm.CreateIdTokenAsync("HCS-CUST-0003");
        var http = _simulators.Uc.Http;

        using var register = await SendAsync(http, HttpMethod.Post, cluster, "smartlicensing/register", new { idToken = token, force = false });
        using var duringRestart = await SendAsync(http, HttpMethod.Get, cluster, "smartlicensing/status");
        var registered = await Eventually.Poll(() => _simulators.Uc.GetClusterAsync(cluster.Name), c => c.Registration.State != "Inprogress", TimeSpan.FromSeconds(15));
        var instances = await _simulators.Cssm.ProductInstanceNamesAsync("HCS-CUST-0003");

        Assert.Multiple(() =>
        {
            Assert.That(register.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
            Assert.That(duringRestart.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), "the publisher does not answer while it restarts");
            Assert.That(registered.Registration.State, Is.EqualTo("Registered"));
            Assert.That(registered.Registration.VirtualAccount, Is.EqualTo("HCS-CUST-0003"));
            Assert.That(registered.Authorization, Is.EqualTo("Authorized"));
            Assert.That(instances, Does.Contain(cluster.Name), "CSSM lists the cluster in the token's virtual account");
        });
    }

    [Test]
    public async Task A_refused_token_leaves_the_cluster_Failed_with_CSSMs_reason()
    {
        var cluster = ClusterSpec.New("sim-badtoken");
        await _simulators.Uc.PutClusterAsync(cluster, knobs: new { restartSeconds = 0 });

        using var register = await SendAsync(_simulators.Uc.Http, HttpMethod.Post, cluster, "smartlicensing/register", new { idToken = "not-a-token", force = false });
        var failed = await Eventually.Poll(() => _simulators.Uc.GetClusterAsync(cluster.Name), c => c.Registration.State != "Inprogress", TimeSpan.FromSeconds(15));

        Assert.Multiple(() =>
        {
            Assert.That(register.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
            Assert.That(failed.Registration.State, Is.EqualTo("Failed"));
            Assert.That(failed.Registration.FailureReason, Does.StartWith("invalid_token"));
        });
    }

    [Test]
    public async Task Knobs_make_a_publisher_refuse_good_credentials_or_drop_off_the_network()
    {
        var cluster = ClusterSpec.New("sim-knobs");
        await _simulators.Uc.PutClusterAsync(cluster, knobs: new { refuseCredentials = true });
        using var refused = await SendAsync(_simulators.Uc.Http, HttpMethod.Get, cluster, "smartlicensing/status");

        await _simulators.Uc.SetKnobsAsync(cluster.Name, new { unreachable = true });
        var dropped = Assert.ThrowsAsync<HttpRequestException>(() => SendAsync(_simulators.Uc.Http, HttpMethod.Get, cluster, "smartlicensing/status"));

        await _simulators.Uc.SetKnobsAsync(cluster.Name, new { });
        using var healthy = await SendAsync(_simulators.Uc.Http, HttpMethod.Get, cluster, "platform/version", platform: true);
        var version = await healthy.Content.ReadFromJsonAsync<JsonObject>();

        Assert.Multiple(() =>
        {
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(dropped, Is.Not.Null, "an unreachable publisher drops the connection");
            Assert.That(healthy.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((string?)version!["activeVersion"], Is.EqualTo(cluster.Version));
        });
    }

    [Test]
    public async Task Admin_registrations_count_only_the_register_calls_that_started_a_registration()
    {
        var cluster = ClusterSpec.New("sim-count");
        await _simulators.Uc.PutClusterAsync(cluster, knobs: new { restartSeconds = 0 });
        var token = await _simulators.Cssm.CreateIdTokenAsync("HCS-CUST-0002");
        var http = _simulators.Uc.Http;

        using var first = await SendAsync(http, HttpMethod.Post, cluster, "smartlicensing/register", new { idToken = token, force = false });
        await Eventually.Poll(() => _simulators.Uc.GetClusterAsync(cluster.Name), c => c.Registration.State != "Inprogress", TimeSpan.FromSeconds(15));
        using var second = await SendAsync(http, HttpMethod.Post, cluster, "smartlicensing/register", new { idToken = token, force = false });
        var lines = await http.GetFromJsonAsync<JsonArray>(new Uri("/admin/registrations", UriKind.Relative));
        var line = lines!.Single(l => (string?)l!["name"] == cluster.Name)!;

        Assert.Multiple(() =>
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
            Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.Conflict), "already registered");
            Assert.That((int)line["registerRequests"]!, Is.EqualTo(2));
            Assert.That((int)line["registrationsStarted"]!, Is.EqualTo(1), "the refused register did not register again");
            Assert.That((string?)line["state"], Is.EqualTo("Registered"));
            Assert.That((string?)line["virtualAccount"], Is.EqualTo("HCS-CUST-0002"));
        });
    }

    [Test]
    public async Task The_Unavailable_knob_makes_every_publisher_answer_503_until_it_is_turned_off()
    {
        // A simulator of its own: the knob is simulator-wide and would disturb the other tests' clusters.
        var app = await Simulators.StartUcSimulatorAsync(_simulators.Cssm.BaseAddress, new Dictionary<string, string?>
        {
            ["UcSimulator:Generated:Count"] = "2",
            ["UcSimulator:Generated:ManagementPassword"] = "mgmt",
        });
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
            var knobs = (await http.GetFromJsonAsync<JsonObject>(new Uri("/admin/knobs", UriKind.Relative)))!;
            knobs["unavailable"] = true;
            (await http.PutAsJsonAsync(new Uri("/admin/knobs", UriKind.Relative), knobs)).EnsureSuccessStatusCode();
            using var away = await GetStatusAsync(http, "hcs-cl-0001-pub.hcs.example", "ccmadministrator", "mgmt-0001");
            using var otherAway = await GetStatusAsync(http, "hcs-cl-0002-pub.hcs.example", "ccmadministrator", "mgmt-0002");
            knobs["unavailable"] = false;
            (await http.PutAsJsonAsync(new Uri("/admin/knobs", UriKind.Relative), knobs)).EnsureSuccessStatusCode();
            using var back = await GetStatusAsync(http, "hcs-cl-0001-pub.hcs.example", "ccmadministrator", "mgmt-0001");

            Assert.Multiple(() =>
            {
                Assert.That(away.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
                Assert.That(away.Headers.RetryAfter, Is.Not.Null, "503 with Retry-After, as a stopped application behind its web server");
                Assert.That(otherAway.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), "every publisher");
                Assert.That(back.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            });
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    private static Task<HttpResponseMessage> GetStatusAsync(HttpClient http, string publisher, string user, string password)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/publishers/{publisher}/smartlicensing/status");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        return http.SendAsync(request);
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, ClusterSpec cluster, string path, object? body = null, bool platform = false)
    {
        var request = new HttpRequestMessage(method, $"/publishers/{cluster.Publisher}/{path}") { Content = body is null ? null : JsonContent.Create(body) };
        var credentials = platform ? $"{cluster.PlatformUserName}:{cluster.PlatformPassword}" : $"{cluster.ManagementUserName}:{cluster.ManagementPassword}";
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        return http.SendAsync(request);
    }
}
