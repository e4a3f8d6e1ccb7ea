using System.Net.Http.Json;
using System.Text.Json;
using HcsLicensing.ClusterAssign.Operations;
using HcsLicensing.TestBed;
using HcsLicensing.TestBed.Suite;
using static HcsLicensing.ClusterAssign.Tests.EndToEnd.Operator;

namespace HcsLicensing.ClusterAssign.Tests.ScaleOut.Loops;

/// <summary>
/// ClusterAssign's <see cref="StepDeadlineSweeper"/> runs in each of three replicas, every 250 ms, and each reports
/// the overdue waits it finds: a step that overruns its deadline must still fail once, with one JobFailed.
/// </summary>
[Category("ScaleOut")]
public class StepDeadlineSweeperReplicaTests
{
    private static readonly TimeSpan JobTimeout = TimeSpan.FromSeconds(60);

    [Test]
    public async Task A_step_past_its_deadline_fails_its_job_once_although_three_replicas_sweep()
    {
        var (suite, account) = await ReplicatedLoopsSuite.GetAsync();
        // Their publishers are off the network: CHPA waits them out longer than the step's deadline, so Verification overruns.
        var clusters = suite.TakeClusterNames(6);
        await suite.AddClustersToInventoryAsync(clusters);
        foreach (var cluster in clusters)
        {
            await SetKnobsAsync(suite, cluster, new { unreachable = true });
        }

        await using var jobEvents = await ProbeQueue.StartAsync(suite, "job-events", "HcsLicensing.Contracts.Jobs:JobProgressed", "HcsLicensing.Contracts.Jobs:JobFailed");
        var va = Va(account, 2);
        var jobs = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            using var client = suite.CreateClient(SuiteService.ClusterAssign, replica: i % ReplicatedLoopsSuite.Replicas);
            jobs.Add(await JobIdOf(await AssignAsync(client, clusters[i], va)));
        }

        var failed = await Task.WhenAll(jobs.Select(job => suite.WaitForJobAsync(job, JobTimeout)));
        // The control: a later job's failure. A second JobFailed of the first five, sent when their wait was swept, comes before it.
        using (var last = suite.CreateClient(SuiteService.ClusterAssign, replica: 0))
        {
            var control = await JobIdOf(await AssignAsync(last, clusters[5], va));
            await Eventually.Poll(() => Task.FromResult(FailuresOf(jobEvents, control)), n => n > 0, JobTimeout);
        }

        var reports = Enumerable.Range(0, ReplicatedLoopsSuite.Replicas)
            .Select(replica => suite.OutputOf(SuiteService.ClusterAssign, replica))
            .Select(output => failed.Count(job => output.Contains($"of {job.EntityName} is overdue", StringComparison.Ordinal)));
        await TestContext.Out.WriteLineAsync($"overdue waits of the five jobs reported per replica: {string.Join(", ", reports)}");
        Assert.Multiple(() =>
        {
            foreach (var job in failed)
            {
                Assert.That((job.Status, job.FailedStep, job.Attempt), Is.EqualTo(("Failed", "Verification", 1)), Describe(job));
                Assert.That(job.ErrorDescription, Does.Contain($"did not answer within {ReplicatedLoopsSuite.StepTimeout}"), Describe(job));
                Assert.That(FailuresOf(jobEvents, job.JobId), Is.EqualTo(1), $"JobFailed published for {job.EntityName}");
            }
        });
    }

    private static Task<HttpResponseMessage> AssignAsync(HttpClient client, string cluster, string va) =>
        client.PostAsJsonAsync(new Uri($"clusters/{cluster}/assignment", UriKind.Relative), new { smartAccountDomain = HcsSuite.SmartAccountDomain, virtualAccount = va });

    private static IEnumerable<JsonElement> EventsOf(ProbeQueue probe, Guid job) =>
        probe.Received.Select(d => d.Message).Where(m => m.TryGetProperty("jobId", out var id) && id.GetGuid() == job);

    /// <summary>JobFailed alone (the only job event with a failedAt), or inside a JobProgressed.</summary>
    private static int FailuresOf(ProbeQueue probe, Guid job) =>
        EventsOf(probe, job).Count(m => m.TryGetProperty("failed", out var failed) ? failed.ValueKind == JsonValueKind.Object : m.TryGetProperty("failedAt", out _));
}
