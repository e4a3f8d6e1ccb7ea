using System.Net.Http.Json;
using System.Text.Json;
using HcsLicensing.TestBed.Suite;

namespace HcsLicensing.ClusterAssign.Tests.EndToEnd;

/// <summary>
/// One whole suite (four services, both simulators, as processes) for every end-to-end test of this namespace, with a
/// configured smart account; started on first use, stopped after the last test. Each test takes clusters of its own.
/// </summary>
[SetUpFixture]
public sealed class EndToEndSuite
{
    private static readonly SharedSuite Shared = new(Options);

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>CHPA gives up on a registration after this: short, so a test can make one fail by a slower publisher restart.</summary>
    public static readonly TimeSpan ChpaRegistrationDeadline = TimeSpan.FromSeconds(6);

    public static Task<(HcsSuite Suite, SmartAccountInfo Account)> GetAsync() => Shared.GetAsync();

    [OneTimeTearDown]
    public Task StopAsync() => Shared.StopAsync();

    private static SuiteOptions Options() => SuiteOptions.Fast with
    {
        Clusters = 400,
        Environment = new Dictionary<SuiteService, IReadOnlyDictionary<string, string>>
        {
            [SuiteService.Chpa] = new Dictionary<string, string> { ["Registration__Deadline"] = ChpaRegistrationDeadline.ToString() },
            // An HTTP request waits this long for Verification's verdict, then answers 202 with the running job.
            [SuiteService.ClusterAssign] = new Dictionary<string, string> { ["ClusterAssign__AnswerWait"] = "00:00:05" },
        },
    };
}

/// <summary>What the tests send to and read from ClusterAssign, UC simulator knobs, and waits.</summary>
public static class Operator
{
    public static async Task<HttpResponseMessage> AssignAsync(HcsSuite suite, string cluster, string virtualAccount, string? requestId = null, string operation = "assignment")
    {
        using var client = suite.CreateClient(SuiteService.ClusterAssign, TimeSpan.FromSeconds(60));
        return await client.PostAsJsonAsync(new Uri($"clusters/{cluster}/{operation}", UriKind.Relative),
            new { smartAccountDomain = HcsSuite.SmartAccountDomain, virtualAccount, requestId }, EndToEndSuite.Json);
    }

    public static async Task<HttpResponseMessage> UnassignAsync(HcsSuite suite, string cluster)
    {
        using var client = suite.CreateClient(SuiteService.ClusterAssign, TimeSpan.FromSeconds(60));
        return await client.PostAsJsonAsync(new Uri($"clusters/{cluster}/unassignment", UriKind.Relative), new { }, EndToEndSuite.Json);
    }

    /// <summary>The n-th synced VA the suite knows (it lists the first ten), so tests use different VAs where they can.</summary>
    public static string Va(SmartAccountInfo account, int n) => account.VirtualAccounts[n % account.VirtualAccounts.Count];

    public static async Task<JsonElement> JsonOf(HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>(EndToEndSuite.Json);

    public static async Task<Guid> JobIdOf(HttpResponseMessage response) => (await JsonOf(response)).GetProperty("jobId").GetGuid();

    /// <summary>Per-cluster UC simulator knobs, e.g. a slower publisher restart.</summary>
    public static async Task SetKnobsAsync(HcsSuite suite, string cluster, object knobs)
    {
        using var client = suite.CreateClient(SuiteService.UcSimulator);
        using var response = await client.PutAsJsonAsync(new Uri($"admin/clusters/{cluster}/knobs", UriKind.Relative), knobs, EndToEndSuite.Json);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>The UC simulator's count of registrations in flight (register accepted, publisher restarting) and the most at once.</summary>
    public static async Task<UcRegistrations> UcRegistrationsAsync(HcsSuite suite, bool reset = false)
    {
        using var client = suite.CreateClient(SuiteService.UcSimulator);
        var path = new Uri(reset ? "admin/registrations/most" : "admin/registrations/concurrency", UriKind.Relative);
        using var response = reset ? await client.DeleteAsync(path) : await client.GetAsync(path);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<UcRegistrations>(EndToEndSuite.Json))!;
    }

    public static async Task<SuiteJob> WaitForStepAsync(HcsSuite suite, Guid jobId, string step, string status, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var job = await suite.GetJobAsync(jobId);
            if (job?.ProgressInfo.Any(s => s.Step == step && s.Status == status) == true)
            {
                return job;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"job {jobId} never showed {step} - {status}: {(job is null ? "unknown" : Describe(job))}");
            }

            await Task.Delay(50);
        }
    }

    public static string Describe(SuiteJob job) =>
        $"{job.Status} (attempt {job.Attempt}): {string.Join(", ", job.ProgressInfo.Select(s => $"{s.Step} - {s.Status}"))}; {job.FailedStep} {job.ErrorDescription}";
}

/// <summary>The UC simulator's GET /admin/registrations/concurrency.</summary>
public sealed record UcRegistrations(int InFlight, int MostAtOnce);
