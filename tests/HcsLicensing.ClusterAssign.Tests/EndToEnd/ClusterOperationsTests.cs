using System.Net;
using System.Net.Http.Json;
using HcsLicensing.Contracts.ClusterAssignments;
using HcsLicensing.TestBed;
using HcsLicensing.TestBed.Suite;
using static HcsLicensing.ClusterAssign.Tests.EndToEnd.Operator;

namespace HcsLicensing.ClusterAssign.Tests.EndToEnd;

/// <summary>Assign, unassign and reassign through ClusterAssign's HTTP API, with every service and both simulators real.</summary>
public class ClusterOperationsTests
{
    private static readonly TimeSpan JobTimeout = TimeSpan.FromSeconds(60);

    [Test]
    public async Task An_assignment_succeeds_with_the_cluster_registered_in_the_VA_and_listed_by_CSSM()
    {
        var (suite, account) = await EndToEndSuite.GetAsync();
        var cluster = suite.TakeClusterNames(1)[0];
        await suite.AddClustersToInventoryAsync([cluster]);
        var va = Va(account, 1);

        using var response = await AssignAsync(suite, cluster, va);
        var body = await JsonOf(response);
        var job = await suite.WaitForJobAsync(body.GetProperty("jobId").GetGuid(), JobTimeout);
        var uc = await suite.GetUcClusterAsync(cluster);
        var instances = await suite.GetProductInstancesAsync(va);
        using var summaryClient = suite.CreateClient(SuiteService.ClusterAssign);
        var summary = await JsonOf(await summaryClient.GetAsync(new Uri($"clusters/{cluster}", UriKind.Relative)));

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
            Assert.That(response.Headers.Location?.ToString(), Does.EndWith($"/jobs/{job.JobId}"));
            Assert.That(job.Status, Is.EqualTo("Succeeded"), Describe(job));
            Assert.That(job.Description, Does.StartWith($"Assignment of Cluster {cluster} to {va} completed"));
            Assert.That(job.ProgressInfo.Select(s => s.Step), Is.EqualTo(new[] { ClusterOperationSteps.Verification, ClusterOperationSteps.LicenseModeChange, ClusterOperationSteps.TransportModeChange, ClusterOperationSteps.Registration }));
            Assert.That(job.ProgressInfo.Select(s => s.Status), Is.All.AnyOf("Pass", "Not Applicable"));
            Assert.That(job.ProgressInfo.Single(s => s.Step == ClusterOperationSteps.Registration).Status, Is.EqualTo("Pass"));
            Assert.That(uc!.Registration.State, Is.EqualTo("Registered"));
            Assert.That(uc.Registration.VirtualAccount, Is.EqualTo(va));
            Assert.That(uc.LicenseMode, Is.EqualTo("HCS"));
            Assert.That(instances.Select(i => i.ProductInstanceName), Has.Some.Contains(cluster), "CSSM lists the cluster as a product instance in the VA");
            Assert.That(summary.GetProperty("virtualAccount").GetString(), Is.EqualTo(va));
            Assert.That(summary.GetProperty("lastJob").GetProperty("status").GetString(), Is.EqualTo("Succeeded"));
        });
    }

    [Test]
    public async Task A_reassignment_moves_the_cluster_and_an_unassignment_removes_it()
    {
        var (suite, account) = await EndToEndSuite.GetAsync();
        var cluster = suite.TakeClusterNames(1)[0];
        await suite.AddClustersToInventoryAsync([cluster]);
        var (first, second) = (Va(account, 2), Va(account, 3));
        var assigned = await suite.WaitForJobAsync(await JobIdOf(await AssignAsync(suite, cluster, first)), JobTimeout);

        using var reassign = await AssignAsync(suite, cluster, second, operation: "reassignment");
        var reassigned = await suite.WaitForJobAsync(await JobIdOf(reassign), JobTimeout);
        var afterReassign = await suite.GetUcClusterAsync(cluster);
        var inFirst = await suite.GetProductInstancesAsync(first);
        var inSecond = await suite.GetProductInstancesAsync(second);

        using var unassign = await UnassignAsync(suite, cluster);
        var unassigned = await suite.WaitForJobAsync(await JobIdOf(unassign), JobTimeout);
        var afterUnassign = await suite.GetUcClusterAsync(cluster);

        Assert.Multiple(() =>
        {
            Assert.That(assigned.Status, Is.EqualTo("Succeeded"), Describe(assigned));
            Assert.That(reassigned.Status, Is.EqualTo("Succeeded"), Describe(reassigned));
            Assert.That(reassigned.ProgressInfo.Select(s => (s.Step, s.Status)), Is.EqualTo(new[] { (ClusterOperationSteps.Verification, "Pass"), (ClusterOperationSteps.Deregistration, "Pass"), (ClusterOperationSteps.Registration, "Pass") }));
            Assert.That(afterReassign!.Registration.VirtualAccount, Is.EqualTo(second));
            Assert.That(inFirst.Select(i => i.ProductInstanceName), Has.None.Contains(cluster), "gone from the old VA");
            Assert.That(inSecond.Select(i => i.ProductInstanceName), Has.Some.Contains(cluster), "listed in the new VA");
            Assert.That(unassign.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
            Assert.That(unassigned.Status, Is.EqualTo("Succeeded"), Describe(unassigned));
            Assert.That(unassigned.ProgressInfo.Select(s => (s.Step, s.Status)), Is.EqualTo(new[] { (ClusterOperationSteps.Verification, "Pass"), (ClusterOperationSteps.Deregistration, "Pass") }));
            Assert.That(afterUnassign!.Registration.State, Is.EqualTo("Unregistered"));
        });
    }

    [Test]
    public async Task Two_hundred_clusters_assigned_at_once_all_succeed()
    {
        var (suite, account) = await EndToEndSuite.GetAsync();
        var clusters = suite.TakeClusterNames(200);
        await suite.AddClustersToInventoryAsync(clusters, maxParallel: 16);
        var va = Va(account, 4);

        var responses = await Task.WhenAll(clusters.Select(async c =>
        {
            using var response = await AssignAsync(suite, c, va);
            return (response.StatusCode, JobId: response.IsSuccessStatusCode ? await JobIdOf(response) : Guid.Empty);
        }));
        var jobs = await Task.WhenAll(responses.Select(r => suite.WaitForJobAsync(r.JobId, TimeSpan.FromMinutes(3))));
        var registered = await Task.WhenAll(clusters.Select(c => suite.GetUcClusterAsync(c)));

        Assert.Multiple(() =>
        {
            Assert.That(responses.Select(r => r.StatusCode), Is.All.EqualTo(HttpStatusCode.Accepted));
            Assert.That(jobs.Where(j => j.Status != "Succeeded").Select(Describe), Is.Empty);
            Assert.That(registered.Select(u => u!.Registration.VirtualAccount), Is.All.EqualTo(va));
        });
    }

    [Test]
    public async Task A_batch_assigns_each_cluster_in_a_job_of_its_own_at_the_given_concurrency()
    {
        var (suite, account) = await EndToEndSuite.GetAsync();
        var clusters = suite.TakeClusterNames(9);
        await suite.AddClustersToInventoryAsync(clusters);
        // Each publisher restarts for 4 s after its register, so jobs running at once overlap at the simulator.
        await Task.WhenAll(clusters.Select(c => SetKnobsAsync(suite, c, new { restartSeconds = 4 })));
        var va = Va(account, 5);
        using var client = suite.CreateClient(SuiteService.ClusterAssign);
        await Eventually.Poll(() => UcRegistrationsAsync(suite), r => r.InFlight == 0, JobTimeout);
        await UcRegistrationsAsync(suite, reset: true);

        using var response = await client.PostAsJsonAsync(new Uri($"virtual-accounts/{HcsSuite.SmartAccountDomain}/{va}/clusters", UriKind.Relative),
            new { clusters, concurrency = 3 }, EndToEndSuite.Json);
        var body = await JsonOf(response);
        var jobIds = body.GetProperty("jobs").EnumerateArray().Select(j => j.GetProperty("jobId").GetGuid()).ToList();
        var jobs = await Task.WhenAll(jobIds.Select(j => suite.WaitForJobAsync(j, JobTimeout)));
        var registrations = await UcRegistrationsAsync(suite);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
            Assert.That(body.GetProperty("concurrency").GetInt32(), Is.EqualTo(3));
            Assert.That(jobIds.Distinct().Count(), Is.EqualTo(9), "one job per cluster");
            Assert.That(jobs.Where(j => j.Status != "Succeeded").Select(Describe), Is.Empty);
            Assert.That(jobs.Select(j => j.EntityName), Is.EquivalentTo(clusters));
            Assert.That(registrations.MostAtOnce, Is.InRange(2, 3), "registrations at once at the UC simulator: more than one, at most the concurrency");
        });
    }
}
