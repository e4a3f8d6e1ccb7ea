using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using HcsLicensing.TestBed.Suite;

namespace HcsLicensing.ClusterAssign.Tests.LicenseAudit;

/// <summary>
/// A whole suite of its own for the license audit's end-to-end tests: an audit looks at every cluster, so other tests'
/// clusters (a job failed on purpose, a cluster restarted mid-registration) must not be in its estate.
/// </summary>
[SetUpFixture]
public sealed class LicenseAuditSuite
{
    private static readonly SharedSuite Shared = new(Options);

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>A second smart account the CSSM simulator has (SmartAccountSync gets it from the test that needs it).</summary>
    public const string SecondDomain = "hcs-second.example.com";

    public static Task<(HcsSuite Suite, SmartAccountInfo Account)> GetAsync() => Shared.GetAsync();

    [OneTimeTearDown]
    public Task StopAsync() => Shared.StopAsync();

    private static SuiteOptions Options() => SuiteOptions.Fast with
    {
        Clusters = 60,
        Environment = new Dictionary<SuiteService, IReadOnlyDictionary<string, string>>
        {
            [SuiteService.CssmSimulator] = new Dictionary<string, string>
            {
                ["Cssm__SmartAccounts__1__Domain"] = SecondDomain, ["Cssm__SmartAccounts__1__Name"] = "HCS-SECOND",
                ["Cssm__SmartAccounts__1__AccountType"] = "CUSTOMER", ["Cssm__SmartAccounts__1__VirtualAccounts"] = "3",
                ["Cssm__SmartAccounts__1__VirtualAccountPrefix"] = "HCS-TWO", ["Cssm__SmartAccounts__1__SatelliteShare"] = "0",
                ["Cssm__SmartAccounts__1__Clients__0__ClientId"] = "hcs-second-client", ["Cssm__SmartAccounts__1__Clients__0__ClientSecret"] = "hcs-second-secret",
            },
            // An unreachable publisher is answered at once, not after CHPA's 90 s wait for it to come back.
            [SuiteService.Chpa] = new Dictionary<string, string> { ["UcApplications__UnreachableWaitFor"] = "00:00:00" },
            // Audits only when a test asks for one; out-of-band registrations are adopted by policy.
            [SuiteService.ClusterAssign] = new Dictionary<string, string>
            {
                ["LicenseAudit__Period"] = "00:00:00", ["LicenseAudit__VerifyConcurrency"] = "4", ["LicenseAudit__AutoRepair__0"] = "RegisteredOutOfBand",
            },
        },
    };
}

/// <summary>What the license audit tests do: run an audit, read findings, make drift through the simulators' knobs.</summary>
public static class Auditor
{
    public static readonly TimeSpan JobTimeout = TimeSpan.FromSeconds(90);

    public static async Task<JsonElement> PostAsync(HcsSuite suite, string path, object? body = null)
    {
        using var client = suite.CreateClient(SuiteService.ClusterAssign, TimeSpan.FromSeconds(60));
        using var response = await client.PostAsJsonAsync(new Uri(path, UriKind.Relative), body ?? new { }, LicenseAuditSuite.Json);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(202), $"POST {path}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Runs an audit to its end; returns its job.</summary>
    public static async Task<SuiteJob> AuditAsync(HcsSuite suite)
    {
        var accepted = await PostAsync(suite, "audits");
        return await suite.WaitForJobAsync(accepted.GetProperty("jobId").GetGuid(), JobTimeout);
    }

    public static async Task<JsonElement> GetAsync(HcsSuite suite, string path)
    {
        using var client = suite.CreateClient(SuiteService.ClusterAssign);
        return await client.GetFromJsonAsync<JsonElement>(new Uri(path, UriKind.Relative), LicenseAuditSuite.Json);
    }

    /// <summary>The open findings of one cluster.</summary>
    public static async Task<IReadOnlyList<JsonElement>> FindingsOfAsync(HcsSuite suite, string cluster, string status = "open") =>
        [.. (await GetAsync(suite, $"findings?cluster={cluster}&status={status}&pageSize=100")).GetProperty("items").EnumerateArray()];

    public static async Task<SuiteJob> AssignAsync(HcsSuite suite, string cluster, string virtualAccount, string smartAccountDomain = HcsSuite.SmartAccountDomain)
    {
        var accepted = await PostAsync(suite, $"clusters/{cluster}/assignment", new { smartAccountDomain, virtualAccount });
        var job = await suite.WaitForJobAsync(accepted.GetProperty("jobId").GetGuid(), JobTimeout);
        Assert.That(job.Status, Is.EqualTo("Succeeded"), $"assignment of {cluster}: {job.ErrorDescription}");
        return job;
    }

    /// <summary>An admin moves the cluster's product instance to another VA in CSSM's portal.</summary>
    public static async Task MoveInCssmAsync(HcsSuite suite, string cluster, string from, string to)
    {
        var instance = (await suite.GetProductInstancesAsync(from)).Single(i => i.ProductInstanceName == cluster);
        using var client = suite.CreateClient(SuiteService.CssmSimulator);
        using var response = await client.PutAsJsonAsync(new Uri($"sim/control/product-instances/{instance.ProductInstanceId}/virtual-account", UriKind.Relative), new { virtualAccount = to });
        response.EnsureSuccessStatusCode();
    }

    /// <summary>A product instance of the cluster's name registered in CSSM without us.</summary>
    public static async Task AddToCssmAsync(HcsSuite suite, string cluster, string virtualAccount)
    {
        using var client = suite.CreateClient(SuiteService.CssmSimulator);
        using var response = await client.PostAsJsonAsync(
            new Uri($"sim/control/smart-accounts/{HcsSuite.SmartAccountDomain}/virtual-accounts/{virtualAccount}/product-instances", UriKind.Relative),
            new { productInstanceName = cluster });
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Someone deregisters the cluster on the cluster itself (its publisher's licensing API, its own credentials).</summary>
    public static async Task DeregisterAtClusterAsync(HcsSuite suite, string cluster)
    {
        var publisher = (await suite.GetInventoryClusterAsync(cluster))!.PublisherAddress;
        var (management, _) = HcsSuite.ClusterCredentials(cluster);
        using var client = suite.CreateClient(SuiteService.UcSimulator);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"publishers/{publisher}/smartlicensing/deregister", UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{management.UserName}:{management.Password}")));
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }

    public static async Task SetUcKnobsAsync(HcsSuite suite, string cluster, object knobs)
    {
        using var client = suite.CreateClient(SuiteService.UcSimulator);
        using var response = await client.PutAsJsonAsync(new Uri($"admin/clusters/{cluster}/knobs", UriKind.Relative), knobs, LicenseAuditSuite.Json);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>The second smart account, configured in SmartAccountSync (once) and synced; returns its VAs' names.</summary>
    public static async Task<IReadOnlyList<string>> ConfigureSecondSmartAccountAsync(HcsSuite suite)
    {
        using var sync = suite.CreateClient(SuiteService.SmartAccountSync, TimeSpan.FromSeconds(60));
        using var response = await sync.PostAsJsonAsync(
            new Uri("smart-accounts", UriKind.Relative),
            new { domain = LicenseAuditSuite.SecondDomain, clientId = "hcs-second-client", clientSecret = "hcs-second-secret" },
            LicenseAuditSuite.Json);
        var configured = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.That((int)response.StatusCode, Is.AnyOf(200, 201), configured.ToString());
        var job = await suite.WaitForJobAsync(configured.GetProperty("syncJobId").GetGuid(), JobTimeout);
        Assert.That(job.Status, Is.EqualTo("Succeeded"), Describe(job));
        return ["HCS-TWO-0001", "HCS-TWO-0002", "HCS-TWO-0003"];
    }

    /// <summary>CSSM fails every product instance search of one smart account (a burst on the path of its devices) until reset.</summary>
    public static async Task SetCssmFaultsAsync(HcsSuite suite, object faults)
    {
        using var client = suite.CreateClient(SuiteService.CssmSimulator);
        using var response = await client.PutAsJsonAsync(new Uri("sim/control/faults", UriKind.Relative), faults, LicenseAuditSuite.Json);
        response.EnsureSuccessStatusCode();
    }

    public static string Describe(SuiteJob job) =>
        $"{job.Status}: {string.Join(", ", job.ProgressInfo.Select(s => $"{s.Step} - {s.Status} ({s.Detail})"))}; {job.FailedStep} {job.ErrorDescription}";
}
