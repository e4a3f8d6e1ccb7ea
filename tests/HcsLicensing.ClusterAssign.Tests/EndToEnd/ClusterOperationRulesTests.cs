using System.Net;
using System.Net.Http.Json;
using HcsLicensing.Contracts.ClusterAssignments;
using HcsLicensing.TestBed.Suite;
using static HcsLicensing.ClusterAssign.Tests.EndToEnd.Operator;

namespace HcsLicensing.ClusterAssign.Tests.EndToEnd;

/// <summary>Each rule ends in a clear reason on the answer and on the job.</summary>
public class ClusterOperationRulesTests
{
    private static readonly TimeSpan JobTimeout = TimeSpan.FromSeconds(60);

    [Test]
    public async Task A_cluster_missing_from_the_inventory_is_refused_as_not_found_with_what_to_do()
    {
        var (suite, account) = await EndToEndSuite.GetAsync();

        using var response = await AssignAsync(suite, "no-such-cluster", Va(account, 0));
        var problem = await JsonOf(response);
        var job = await suite.WaitForJobAsync(problem.GetProperty("jobId").GetGuid(), JobTimeout);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That(problem.GetProperty("reason").GetString(), Is.EqualTo("SmartLicUnknownCluster"));
            Assert.That(problem.GetProperty("recommendedAction").GetString(), Does.Contain("inventory"));
            Assert.That(job.Status, Is.EqualTo("Failed"));
            Assert.That(job.FailedStep, Is.EqualTo(ClusterOperationSteps.Verification));
            Assert.That(job.RecommendedAction, Does.Contain("inventory"));
        });
    }

    [TestCase("unknown")]
    [TestCase("satellite")]
    public async Task A_VA_that_cannot_take_clusters_fails_Verification_with_its_reason(string which)
    {
        var (suite, account) = await EndToEndSuite.GetAsync();
        var cluster = suite.TakeClusterNames(1)[0];
        await suite.AddClustersToInventoryAsync([cluster]);
        var va = which == "unknown" ? "NO-SUCH-VA" : account.SatelliteVirtualAccount!;

        using var response = await AssignAsync(suite, cluster, va);
        var problem = await JsonOf(response);
        var job = await suite.WaitForJobAsync(problem.GetProperty("jobId").GetGuid(), JobTimeout);
        var uc = await suite.GetUcClusterAsync(cluster);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
            Assert.That(problem.GetProperty("reason").GetString(), Is.EqualTo(which == "unknown" ? "SmartLicUnknownVirtualAccount" : "SmartLicSatelliteSynced"));
            Assert.That(problem.GetProperty("detail").GetString(), Does.Contain(va));
            Assert.That(job.Status, Is.EqualTo("Failed"));
            Assert.That(job.FailedStep, Is.EqualTo(ClusterOperationSteps.Verification));
            Assert.That(uc!.Registration.State, Is.EqualTo("Unregistered"), "the cluster was not touched");
        });
    }

    [Test]
    public async Task A_cluster_below_12_5_is_refused_as_unsupported()
    {
        var (suite, account) = await EndToEndSuite.GetAsync();
        // The UC simulator's clusters numbered by 5 run 11.5.
        var cluster = HcsSuite.ClusterName(395);
        await suite.AddClustersToInventoryAsync([cluster]);

        using var response = await AssignAsync(suite, cluster, Va(account, 0));
        var problem = await JsonOf(response);
        var job = await suite.WaitForJobAsync(problem.GetProperty("jobId").GetGuid(), JobTimeout);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
            Assert.That(problem.GetProperty("reason").GetString(), Is.EqualTo("SmartLicVersionUnsupported"));
            Assert.That(job.ErrorDescription, Does.Contain("11.5"));
            Assert.That(job.RecommendedAction, Does.Contain("12.5"));
        });
    }

    [Test]
    public async Task A_cluster_already_in_the_VA_succeeds_at_once_with_the_other_steps_not_applicable()
    {
        var (suite, account) = await EndToEndSuite.GetAsync();
        var cluster = suite.TakeClusterNames(1)[0];
        await suite.AddClustersToInventoryAsync([cluster]);
        var va = Va(account, 6);
        await suite.WaitForJobAsync(await JobIdOf(await AssignAsync(suite, cluster, va)), JobTimeout);

        using var again = await AssignAsync(suite, cluster, va);
        var job = await suite.WaitForJobAsync(await JobIdOf(again), JobTimeout);
        var uc = await suite.GetUcClusterAsync(cluster);

        Assert.Multiple(() =>
        {
            Assert.That(job.Status, Is.EqualTo("Succeeded"));
            Assert.That(job.ProgressInfo.Select(s => s.Status), Is.EqualTo(new[] { "Pass", "Not Applicable", "Not Applicable", "Not Applicable" }));
            Assert.That(uc!.RegisterRequests, Is.EqualTo(1), "no second register reached the publisher");
        });
    }

    [Test]
    public async Task A_second_operation_while_one_runs_is_refused_naming_the_running_job()
    {
        var (suite, account) = await EndToEndSuite.GetAsync();
        var cluster = suite.TakeClusterNames(1)[0];
        await suite.AddClustersToInventoryAsync([cluster]);
        await SetKnobsAsync(suite, cluster, new { restartSeconds = 4 });
        using var first = await AssignAsync(suite, cluster, Va(account, 7));
        var running = await JobIdOf(first);

        using var second = await UnassignAsync(suite, cluster);
        var problem = await JsonOf(second);
        var job = await suite.WaitForJobAsync(running, JobTimeout);

        Assert.Multiple(() =>
        {
            Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(problem.GetProperty("reason").GetString(), Is.EqualTo("SmartLicOperationInProgress"));
            Assert.That(problem.GetProperty("runningJobId").GetGuid(), Is.EqualTo(running));
            Assert.That(problem.GetProperty("detail").GetString(), Does.Contain(running.ToString()));
            Assert.That(job.Status, Is.EqualTo("Succeeded"), "the running job was not disturbed");
        });
    }

    [Test]
    public async Task The_same_request_id_twice_gives_the_same_job_and_runs_once()
    {
        var (suite, account) = await EndToEndSuite.GetAsync();
        var cluster = suite.TakeClusterNames(1)[0];
        await suite.AddClustersToInventoryAsync([cluster]);
        var requestId = $"sdrui-{Guid.NewGuid():N}";

        using var first = await AssignAsync(suite, cluster, Va(account, 8), requestId);
        using var second = await AssignAsync(suite, cluster, Va(account, 8), requestId);
        var firstJob = await JobIdOf(first);
        var secondBody = await JsonOf(second);
        var job = await suite.WaitForJobAsync(firstJob, JobTimeout);
        var uc = await suite.GetUcClusterAsync(cluster);

        Assert.Multiple(() =>
        {
            Assert.That(secondBody.GetProperty("jobId").GetGuid(), Is.EqualTo(firstJob));
            Assert.That(secondBody.GetProperty("duplicate").GetBoolean(), Is.True);
            Assert.That(job.Status, Is.EqualTo("Succeeded"));
            Assert.That(job.Attempt, Is.EqualTo(1));
            Assert.That(uc!.RegisterRequests, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task A_request_without_a_VA_is_a_problem_naming_the_field()
    {
        var (suite, _) = await EndToEndSuite.GetAsync();
        using var client = suite.CreateClient(SuiteService.ClusterAssign);

        using var response = await client.PostAsJsonAsync(new Uri("clusters/cl1-alfa/assignment", UriKind.Relative), new { smartAccountDomain = HcsSuite.SmartAccountDomain }, EndToEndSuite.Json);
        var problem = await JsonOf(response);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(problem.GetProperty("errors").TryGetProperty("virtualAccount", out _), Is.True);
        });
    }
}
