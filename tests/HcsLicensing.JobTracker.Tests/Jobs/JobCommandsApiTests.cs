using System.Net;
using HcsLicensing.Contracts.Jobs;
using static HcsLicensing.JobTracker.Tests.Jobs.JobEvents;

namespace HcsLicensing.JobTracker.Tests.Jobs;

/// <summary>POST /jobs/{id}/restart and /cancel, and the same commands straight on the bus (the saga checks again).</summary>
public class JobCommandsApiTests
{
    private JobTrackerHost host = null!;

    [OneTimeSetUp]
    public async Task StartService() => host = await JobTrackerHost.GetAsync();

    [Test]
    public async Task Restart_of_a_failed_restartable_job_asks_its_owner_to_run_attempt_2_from_the_failed_step()
    {
        var id = Guid.NewGuid();
        await host.PublishAndWaitAsync(Created(id));
        await host.PublishAndWaitAsync(Step(id, Verification, JobStepStatus.Pass));
        await host.PublishAndWaitAsync(Failed(id, LicenseModeChange));
        var failed = await host.Api.WaitForJobAsync(id, job => job.Status == "Failed");

        using var response = await host.Api.PostAsync(id, "restart");
        var requested = await host.Log.WaitPublishedAsync<JobRestartRequested>(r => r.JobId == id);
        var restarted = await host.Api.WaitForJobAsync(id, job => job.Attempt == 2);

        Assert.Multiple(() =>
        {
            Assert.That(failed.IsRestartable, Is.True);
            Assert.That(failed.ErrorDescription, Is.EqualTo("Platform credentials rejected by cl1-alfa"));
            Assert.That(failed.StatusInformation[1], Is.EqualTo("License Mode Change - Fail"));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
            Assert.That(response.Headers.Location?.ToString(), Is.EqualTo($"/jobs/{id}"));
            Assert.That((requested.Attempt, requested.FromStep), Is.EqualTo((2, LicenseModeChange)));
            Assert.That(restarted.Status, Is.EqualTo("In Progress"));
            Assert.That(restarted.ErrorDescription, Is.Null);
            Assert.That(restarted.RecommendedAction, Is.Null);
            Assert.That(restarted.StatusInformation[0], Is.EqualTo("Verification - Pass"));
            Assert.That(restarted.StatusInformation[1], Is.EqualTo("License Mode Change - Not Started"));
        });
    }

    [Test]
    public async Task Restart_of_a_succeeded_job_is_a_409_problem_and_nothing_is_published()
    {
        var id = Guid.NewGuid();
        await host.PublishAndWaitAsync(Created(id));
        await host.PublishAndWaitAsync(Succeeded(id));

        using var response = await host.Api.PostAsync(id, "restart");
        var problem = await JobsApiTests.ProblemAsync(response);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That((int?)problem["status"], Is.EqualTo(409));
            Assert.That((string?)problem["title"], Is.EqualTo("Job cannot be restarted"));
            Assert.That((string?)problem["detail"], Does.Contain("job is Succeeded"));
            Assert.That(host.Log.Published<JobRestartRequested>().Where(r => r.JobId == id), Is.Empty);
        });
    }

    [Test]
    public async Task Restart_and_cancel_of_an_unknown_job_are_404_problems()
    {
        var id = Guid.NewGuid();

        using var restart = await host.Api.PostAsync(id, "restart");
        using var cancel = await host.Api.PostAsync(id, "cancel");

        Assert.Multiple(async () =>
        {
            Assert.That(restart.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(cancel.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That((string?)(await JobsApiTests.ProblemAsync(cancel))["detail"], Is.EqualTo($"job {id} not found"));
        });
    }

    [Test]
    public async Task Commands_on_the_bus_are_checked_by_the_saga_and_never_create_a_job()
    {
        var unknown = Guid.NewGuid();
        var succeeded = Guid.NewGuid();
        await host.PublishAndWaitAsync(Created(succeeded));
        await host.PublishAndWaitAsync(Succeeded(succeeded));

        await host.PublishAndWaitAsync(new RestartJob { JobId = unknown });
        await host.PublishAndWaitAsync(new CancelJob { JobId = unknown });
        await host.PublishAndWaitAsync(new RestartJob { JobId = succeeded });
        var rejected = await host.Log.WaitPublishedAsync<JobCommandRejected>(r => r.JobId == succeeded);
        var unknownRejections = host.Log.Published<JobCommandRejected>().Where(r => r.JobId == unknown).ToList();

        Assert.Multiple(async () =>
        {
            Assert.That(unknownRejections.Select(r => (r.Command, r.Reason)), Is.EquivalentTo(new[] { ("RestartJob", "unknown job"), ("CancelJob", "unknown job") }));
            Assert.That(await host.Api.GetJobAsync(unknown), Is.Null);
            Assert.That((rejected.Command, rejected.Reason), Is.EqualTo(("RestartJob", "job is Succeeded; only a Failed, restartable job can be restarted")));
            Assert.That((await host.Api.GetJobAsync(succeeded))!.Attempt, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task A_command_sent_as_a_request_gets_the_acceptance_or_the_rejection_as_its_response()
    {
        var failed = Guid.NewGuid();
        await host.PublishAndWaitAsync(Created(failed));
        await host.PublishAndWaitAsync(Failed(failed, Verification));
        var restarts = host.RequestClient<RestartJob>();

        var accepted = await restarts.GetResponse<JobRestartRequested, JobCommandRejected>(new RestartJob { JobId = failed, RequestedBy = "hcs-admin" });
        var unknown = await restarts.GetResponse<JobRestartRequested, JobCommandRejected>(new RestartJob { JobId = Guid.NewGuid() });

        Assert.Multiple(() =>
        {
            Assert.That(accepted.Is(out MassTransit.Response<JobRestartRequested>? restart), Is.True);
            Assert.That((restart?.Message.Attempt, restart?.Message.FromStep, restart?.Message.RequestedBy), Is.EqualTo((2, Verification, "hcs-admin")));
            Assert.That(unknown.Is(out MassTransit.Response<JobCommandRejected>? rejected), Is.True);
            Assert.That(rejected?.Message.Reason, Is.EqualTo("unknown job"));
        });
    }

    [Test]
    public async Task Cancel_of_a_cancelable_job_asks_its_owner_and_the_owners_JobCanceled_ends_it()
    {
        var id = Guid.NewGuid();
        await host.PublishAndWaitAsync(Created(id) with { IsCancelable = true });
        await host.PublishAndWaitAsync(Step(id, Verification, JobStepStatus.Inprogress));

        using var response = await host.Api.PostAsync(id, "cancel");
        var requested = await host.Log.WaitPublishedAsync<JobCancelRequested>(r => r.JobId == id);
        var pending = await host.Api.WaitForJobAsync(id, job => job.CancelRequested);
        await host.PublishAndWaitAsync(Canceled(id));
        var canceled = await host.Api.WaitForJobAsync(id, job => job.Status == "Canceled");
        using var again = await host.Api.PostAsync(id, "cancel");

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
            Assert.That(requested.Attempt, Is.EqualTo(1));
            Assert.That(pending.Status, Is.EqualTo("In Progress"));
            Assert.That(canceled.CompletedAt, Is.EqualTo(Completed));
            Assert.That(canceled.IsCancelable, Is.False);
            Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        });
    }

    [Test]
    public async Task Cancel_of_a_job_that_is_not_cancelable_is_a_409_problem()
    {
        var id = Guid.NewGuid();
        await host.PublishAndWaitAsync(Created(id) with { IsCancelable = false });

        using var response = await host.Api.PostAsync(id, "cancel");
        var problem = await JobsApiTests.ProblemAsync(response);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That((string?)problem["title"], Is.EqualTo("Job cannot be canceled"));
            Assert.That((string?)problem["detail"], Does.Contain("cannot be canceled at its current step"));
        });
    }
}
