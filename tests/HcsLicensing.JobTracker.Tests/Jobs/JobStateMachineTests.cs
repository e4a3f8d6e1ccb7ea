using HcsLicensing.Contracts.Jobs;
using static HcsLicensing.JobTracker.Tests.Jobs.JobEvents;

namespace HcsLicensing.JobTracker.Tests.Jobs;

/// <summary>The job saga in the running service: events over real RabbitMQ, jobs in PostgreSQL, read over HTTP.</summary>
public class JobStateMachineTests
{
    private JobTrackerHost host = null!;

    [OneTimeSetUp]
    public async Task StartService() => host = await JobTrackerHost.GetAsync();

    [Test]
    public async Task A_jobs_whole_life_is_visible_through_the_api_with_HCM_F_names()
    {
        var id = Guid.NewGuid();

        await host.PublishAndWaitAsync(Created(id));
        var created = await host.Api.WaitForJobAsync(id, job => job.EntityName == "cl1-alfa");
        await host.PublishAndWaitAsync(Step(id, Verification, JobStepStatus.Inprogress, "checking cl1-alfa"));
        var verifying = await host.Api.WaitForJobAsync(id, job => job.ProgressInfo[0].Status == "Inprogress");
        await host.PublishAndWaitAsync(Step(id, Verification, JobStepStatus.Pass));
        await host.PublishAndWaitAsync(Step(id, LicenseModeChange, JobStepStatus.NotApplicable));
        await host.PublishAndWaitAsync(Step(id, TransportModeChange, JobStepStatus.NotApplicable));
        await host.PublishAndWaitAsync(Step(id, Registration, JobStepStatus.Pass));
        await host.PublishAndWaitAsync(Succeeded(id, "Assignment of Cluster cl1-alfa to HCS-DEMO completed"));
        var done = await host.Api.WaitForJobAsync(id, job => job.Status == "Succeeded");

        Assert.Multiple(() =>
        {
            Assert.That(created.Status, Is.EqualTo("In Progress"));
            Assert.That(created.JobType, Is.EqualTo("Provisioning"));
            Assert.That(created.EntityType, Is.EqualTo("Cluster"));
            Assert.That(created.Description, Is.EqualTo("Assignment of Cluster cl1-alfa to HCS-DEMO started"));
            Assert.That(created.ProgressInfo.Select(s => s.Status), Is.All.EqualTo("Not Started"));
            Assert.That(created.InitiatedAt, Is.EqualTo(Initiated));
            Assert.That(verifying.ProgressInfo[0].Detail, Is.EqualTo("checking cl1-alfa"));
            Assert.That(done.Description, Is.EqualTo("Assignment of Cluster cl1-alfa to HCS-DEMO completed"));
            Assert.That(done.StatusInformation, Is.EqualTo(new[]
            {
                "Verification - Pass", "License Mode Change - Not Applicable", "Transport Mode Change - Not Applicable", "Registration - Pass",
            }));
            Assert.That(done.CompletedAt, Is.EqualTo(Completed));
            Assert.That(done.Attempt, Is.EqualTo(1));
            Assert.That(done.IsCancelable, Is.False);
            Assert.That(done.IsRestartable, Is.False);
        });
    }

    [Test]
    public async Task Events_published_before_JobCreated_end_in_the_right_job()
    {
        var id = Guid.NewGuid();

        await host.PublishAndWaitAsync(Step(id, Verification, JobStepStatus.Pass, "reachable"));
        await host.PublishAndWaitAsync(Succeeded(id, "Assignment of Cluster cl2-early to HCS-DEMO completed"));
        var placeholder = await host.Api.WaitForJobAsync(id, job => job.Status == "Succeeded");
        await host.PublishAndWaitAsync(Created(id, "cl2-early"));
        var job = await host.Api.WaitForJobAsync(id, job => job.EntityName == "cl2-early");

        Assert.Multiple(() =>
        {
            Assert.That(placeholder.EntityName, Is.EqualTo(JobTracker.Jobs.JobRules.PlaceholderEntityName));
            Assert.That(job.Status, Is.EqualTo("Succeeded"));
            Assert.That(job.Description, Is.EqualTo("Assignment of Cluster cl2-early to HCS-DEMO completed"));
            Assert.That(job.StatusInformation, Is.EqualTo(new[]
            {
                "Verification - Pass", "License Mode Change - Not Started", "Transport Mode Change - Not Started", "Registration - Not Started",
            }));
            Assert.That(job.ProgressInfo[0].Detail, Is.EqualTo("reachable"));
            Assert.That(job.InitiatedAt, Is.EqualTo(Initiated));
            Assert.That(job.CompletedAt, Is.EqualTo(Completed));
        });
    }

    [Test]
    public async Task Duplicate_and_stale_events_change_nothing()
    {
        var id = Guid.NewGuid();
        await host.PublishAndWaitAsync(Created(id));
        await host.PublishAndWaitAsync(Step(id, Verification, JobStepStatus.Pass, "passed"));
        await host.PublishAndWaitAsync(Succeeded(id));
        var before = await host.Api.WaitForJobAsync(id, job => job.Status == "Succeeded");

        await host.PublishAndWaitAsync(Step(id, Verification, JobStepStatus.Inprogress, "stale"));
        await host.PublishAndWaitAsync(Succeeded(id, "second success") with { CompletedAt = Completed.AddMinutes(5) });
        await host.PublishAndWaitAsync(Failed(id, Registration));
        var after = await host.Api.GetJobAsync(id);

        // Nothing at all changed, not even LastUpdatedAt or CompletedAt.
        Assert.That(JsonOf(after), Is.EqualTo(JsonOf(before)));
    }

    [Test]
    public async Task A_burst_of_100_step_events_for_one_job_loses_no_update()
    {
        var id = Guid.NewGuid();
        var steps = Enumerable.Range(1, 100).Select(i => $"Cluster {i:000}").ToList();

        // No JobCreated yet: the first events also race to create the job.
        await host.PublishAllAsync(steps.Select(step => Step(id, step, JobStepStatus.Pass)));
        var job = await host.Api.WaitForJobAsync(id, job => job.ProgressInfo.Count(s => s.Status == "Pass") == 100, TimeSpan.FromSeconds(60));

        Assert.Multiple(() =>
        {
            Assert.That(job.ProgressInfo.Select(s => s.Step), Is.EquivalentTo(steps));
            Assert.That(job.Status, Is.EqualTo("In Progress"));
        });
    }

    [Test]
    public async Task Two_replicas_racing_on_one_job_lose_no_update()
    {
        await using var replica = await host.StartReplicaAsync();
        var handledBefore = host.Log.HandledCount;
        var id = Guid.NewGuid();
        var steps = Enumerable.Range(1, 100).Select(i => $"Cluster {i:000}").ToList();

        await host.PublishAllAsync(steps.Select(step => Step(id, step, JobStepStatus.Inprogress))
            .Concat(steps.Select(step => Step(id, step, JobStepStatus.Pass))));
        var job = await host.Api.WaitForJobAsync(id, job => job.ProgressInfo.Count(s => s.Status == "Pass") == 100, TimeSpan.FromSeconds(90));

        Assert.Multiple(() =>
        {
            Assert.That(job.ProgressInfo.Select(s => (s.Step, s.Status)), Is.EquivalentTo(steps.Select(step => (step, "Pass"))));
            Assert.That(host.Log.HandledCount - handledBefore, Is.LessThan(200), "the second replica took part");
        });
    }

    [Test]
    public async Task An_event_of_an_older_attempt_is_ignored_after_a_restart()
    {
        var id = Guid.NewGuid();
        await host.PublishAndWaitAsync(Created(id));
        await host.PublishAndWaitAsync(Step(id, Verification, JobStepStatus.Pass));
        await host.PublishAndWaitAsync(Failed(id, LicenseModeChange));
        await host.Api.WaitForJobAsync(id, job => job.Status == "Failed");
        using var accepted = await host.Api.PostAsync(id, "restart");
        await host.Api.WaitForJobAsync(id, job => job.Attempt == 2);

        await host.PublishAndWaitAsync(Succeeded(id));
        var afterStale = await host.Api.GetJobAsync(id);
        await host.PublishAndWaitAsync(Succeeded(id) with { Attempt = 2 });
        var done = await host.Api.WaitForJobAsync(id, job => job.Status == "Succeeded");

        Assert.Multiple(() =>
        {
            Assert.That(afterStale!.Status, Is.EqualTo("In Progress"));
            Assert.That(afterStale.CompletedAt, Is.Null);
            Assert.That(done.Attempt, Is.EqualTo(2));
        });
    }

    private static string JsonOf(JobTracker.Jobs.JobDto? job) => System.Text.Json.JsonSerializer.Serialize(job, JobsApiClient.Json);
}
