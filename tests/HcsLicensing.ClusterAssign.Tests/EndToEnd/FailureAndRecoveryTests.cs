using System.Net;
using System.Net.Http.Json;
using HcsLicensing.ClusterAssign.Operations;
using HcsLicensing.Contracts.ClusterAssignments;
using HcsLicensing.TestBed;
using HcsLicensing.TestBed.Suite;
using static HcsLicensing.ClusterAssign.Tests.EndToEnd.Operator;

namespace HcsLicensing.ClusterAssign.Tests.EndToEnd;

/// <summary>A failed job says what failed and can be restarted where it failed; a job can be canceled before Registration.</summary>
public class FailureAndRecoveryTests
{
    private static readonly TimeSpan JobTimeout = TimeSpan.FromSeconds(60);

    [Test]
    public async Task A_job_failed_at_Registration_names_the_step_and_a_restart_resumes_there_and_succeeds()
    {
        var (suite, account) = await EndToEndSuite.GetAsync();
        var cluster = suite.TakeClusterNames(1)[0];
        await suite.AddClustersToInventoryAsync([cluster]);
        // The publisher restarts longer than CHPA waits: Registration fails as timed out, though the register took.
        await SetKnobsAsync(suite, cluster, new { restartSeconds = (int)EndToEndSuite.ChpaRegistrationDeadline.TotalSeconds + 3 });
        var jobId = await JobIdOf(await AssignAsync(suite, cluster, Va(account, 9)));
        var failed = await suite.WaitForJobAsync(jobId, JobTimeout);
        await SetKnobsAsync(suite, cluster, new { restartSeconds = 0 });
        await Eventually.Poll(async () => (await suite.GetUcClusterAsync(cluster))!.Restarting, restarting => !restarting, TimeSpan.FromSeconds(30));

        using var jobs = suite.CreateClient(SuiteService.JobTracker);
        using var restart = await jobs.PostAsync(new Uri($"jobs/{jobId}/restart", UriKind.Relative), null);
        var restarted = await Eventually.Poll(async () => await suite.GetJobAsync(jobId), j => j is { Attempt: 2, HasEnded: true }, JobTimeout);

        Assert.Multiple(() =>
        {
            Assert.That(failed.Status, Is.EqualTo("Failed"));
            Assert.That(failed.FailedStep, Is.EqualTo(ClusterOperationSteps.Registration));
            Assert.That(failed.ErrorDescription, Does.Contain("chpaTimedOut"));
            Assert.That(failed.RecommendedAction, Does.Contain("restart the job"));
            Assert.That(restart.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
            Assert.That(restarted!.Status, Is.EqualTo("Succeeded"), Describe(restarted));
            Assert.That(restarted.ProgressInfo.Select(s => s.Status), Is.All.AnyOf("Pass", "Not Applicable"));
        });
    }

    [Test]
    public async Task A_restart_of_a_job_another_job_has_followed_on_its_cluster_ends_failed_not_in_progress()
    {
        var (suite, account) = await EndToEndSuite.GetAsync();
        var cluster = suite.TakeClusterNames(1)[0];
        await suite.AddClustersToInventoryAsync([cluster]);
        await SetKnobsAsync(suite, cluster, new { restartSeconds = (int)EndToEndSuite.ChpaRegistrationDeadline.TotalSeconds + 3 });
        var older = await JobIdOf(await AssignAsync(suite, cluster, Va(account, 11)));
        await suite.WaitForJobAsync(older, JobTimeout);
        await SetKnobsAsync(suite, cluster, new { restartSeconds = 0 });
        await Eventually.Poll(async () => (await suite.GetUcClusterAsync(cluster))!.Restarting, restarting => !restarting, TimeSpan.FromSeconds(30));
        var later = await JobIdOf(await UnassignAsync(suite, cluster));
        await suite.WaitForJobAsync(later, JobTimeout);

        using var jobs = suite.CreateClient(SuiteService.JobTracker);
        using var restart = await jobs.PostAsync(new Uri($"jobs/{older}/restart", UriKind.Relative), null);
        var restarted = await Eventually.Poll(async () => await suite.GetJobAsync(older), j => j is { Attempt: 2, HasEnded: true }, JobTimeout);

        Assert.Multiple(() =>
        {
            Assert.That(restart.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), "JobTracker takes the restart of a restartable failed job");
            Assert.That(restarted!.Status, Is.EqualTo("Failed"), Describe(restarted));
            Assert.That(restarted.ErrorDescription, Does.Contain("cannot be restarted"));
            Assert.That(restarted.IsRestartable, Is.False);
        });
    }

    [Test]
    public async Task A_job_in_Verification_can_be_canceled_and_one_in_Registration_cannot()
    {
        var (suite, account) = await EndToEndSuite.GetAsync();
        var clusters = suite.TakeClusterNames(2);
        await suite.AddClustersToInventoryAsync(clusters);
        // Holds Verification: each call to the publisher takes a minute, so CHPA gives up on it only after its own 30 s
        // total timeout, long after the cancel; the verdict then comes to a canceled job and is ignored.
        await SetKnobsAsync(suite, clusters[0], new { latencyMs = 60_000 });
        await SetKnobsAsync(suite, clusters[1], new { restartSeconds = 5 });
        using var jobs = suite.CreateClient(SuiteService.JobTracker);

        var slow = AssignAsync(suite, clusters[0], Va(account, 10), "cancel-me-" + Guid.NewGuid());
        var inVerification = await Eventually.Poll(
            async () => (await jobs.GetFromJsonAsync<SuiteJobList>(new Uri($"jobs?entityName={clusters[0]}", UriKind.Relative), EndToEndSuite.Json))!.Items is [var first, ..] ? first : null,
            j => j is not null,
            JobTimeout);
        await WaitForStepAsync(suite, inVerification!.JobId, ClusterOperationSteps.Verification, "Inprogress", JobTimeout);
        using var cancel = await jobs.PostAsync(new Uri($"jobs/{inVerification.JobId}/cancel", UriKind.Relative), null);
        var canceled = await suite.WaitForJobAsync(inVerification.JobId, JobTimeout);
        using var slowAnswer = await slow;

        var registering = await JobIdOf(await AssignAsync(suite, clusters[1], Va(account, 10)));
        await WaitForStepAsync(suite, registering, ClusterOperationSteps.Registration, "Inprogress", JobTimeout);
        using var refused = await jobs.PostAsync(new Uri($"jobs/{registering}/cancel", UriKind.Relative), null);
        var finished = await suite.WaitForJobAsync(registering, JobTimeout);

        Assert.Multiple(() =>
        {
            Assert.That(cancel.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
            Assert.That(canceled.Status, Is.EqualTo("Canceled"), Describe(canceled));
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(finished.Status, Is.EqualTo("Succeeded"));
        });
    }

    /// <summary>Whichever service dies mid-job and comes back, the job ends; none stays In Progress.</summary>
    [TestCase(SuiteService.ClusterAssign)]
    [TestCase(SuiteService.Chpa)]
    [TestCase(SuiteService.SmartAccountSync)]
    [TestCase(SuiteService.JobTracker)]
    public async Task A_job_ends_when_a_service_is_killed_mid_job_and_started_again(SuiteService victim)
    {
        var (suite, account) = await EndToEndSuite.GetAsync();
        var cluster = suite.TakeClusterNames(1)[0];
        await suite.AddClustersToInventoryAsync([cluster]);
        // The publisher restarts for longer than the service is down: the kill falls inside Registration's wait.
        await SetKnobsAsync(suite, cluster, new { restartSeconds = 6 });

        Guid jobId;
        if (victim == SuiteService.SmartAccountSync)
        {
            // Killed before the request: the job waits on its token request (Verification) until it is back.
            await suite.KillAsync(victim);
            var requestId = "kill-" + Guid.NewGuid();
            var request = AssignAsync(suite, cluster, Va(account, 11), requestId);
            await WaitForStepAsync(suite, ClusterKeys.ForJob(requestId, cluster), ClusterOperationSteps.Verification, "Inprogress", JobTimeout);
            await suite.StartAsync(victim);
            jobId = await JobIdOf(await request);
        }
        else
        {
            // Killed during Registration, once the register reached the publisher: CHPA waits for its restart.
            jobId = await JobIdOf(await AssignAsync(suite, cluster, Va(account, 11)));
            await WaitForStepAsync(suite, jobId, ClusterOperationSteps.Registration, "Inprogress", JobTimeout);
            await Eventually.Poll(() => suite.GetUcClusterAsync(cluster), uc => uc?.RegisterRequests == 1, JobTimeout);
            await suite.KillAsync(victim);
            await Task.Delay(TimeSpan.FromSeconds(2)); // down for a while, as a crashed service is
            await suite.StartAsync(victim);
        }

        var job = await suite.WaitForJobAsync(jobId, TimeSpan.FromSeconds(90));
        var uc = await suite.GetUcClusterAsync(cluster);

        Assert.Multiple(() =>
        {
            Assert.That(job.Status, Is.EqualTo("Succeeded"), Describe(job));
            Assert.That(uc!.Registration.State, Is.EqualTo("Registered"));
            Assert.That(uc.RegisterRequests, Is.EqualTo(1), "the register was not sent twice");
        });
    }
}

/// <summary>A page of JobTracker's GET /jobs.</summary>
public sealed record SuiteJobList(IReadOnlyList<SuiteJob> Items, int TotalCount);
