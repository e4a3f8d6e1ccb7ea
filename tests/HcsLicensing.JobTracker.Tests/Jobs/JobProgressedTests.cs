using HcsLicensing.Contracts.Jobs;
using HcsLicensing.ServiceDefaults.Validation;
using static HcsLicensing.JobTracker.Tests.Jobs.JobEvents;

namespace HcsLicensing.JobTracker.Tests.Jobs;

/// <summary>Several events of one job in one message, as ClusterAssign sends a transition's: over real RabbitMQ, into PostgreSQL, read over HTTP.</summary>
public class JobProgressedTests
{
    private JobTrackerHost host = null!;

    [OneTimeSetUp]
    public async Task StartService() => host = await JobTrackerHost.GetAsync();

    [Test]
    public async Task One_message_creates_the_job_moves_its_steps_and_ends_it_in_order()
    {
        var id = Guid.NewGuid();

        await host.PublishAndWaitAsync(new JobProgressed
        {
            JobId = id,
            Created = Created(id),
            Steps = [Step(id, Verification, JobStepStatus.Inprogress, "checking cl1-alfa")],
        });
        var started = await host.Api.WaitForJobAsync(id, job => job.ProgressInfo[0].Status == "Inprogress");
        await host.PublishAndWaitAsync(new JobProgressed
        {
            JobId = id,
            Steps =
            [
                Step(id, Verification, JobStepStatus.Pass, "CUCM 15.0"), Step(id, LicenseModeChange, JobStepStatus.NotApplicable),
                Step(id, TransportModeChange, JobStepStatus.NotApplicable), Step(id, Registration, JobStepStatus.Pass),
            ],
            Succeeded = Succeeded(id, "Assignment of Cluster cl1-alfa to HCS-DEMO completed"),
        });
        var done = await host.Api.WaitForJobAsync(id, job => job.Status == "Succeeded");

        Assert.Multiple(() =>
        {
            Assert.That(started.EntityName, Is.EqualTo("cl1-alfa"));
            Assert.That(started.Status, Is.EqualTo("In Progress"));
            Assert.That(started.StatusInformation, Is.EqualTo(new[]
            {
                "Verification - Inprogress", "License Mode Change - Not Started", "Transport Mode Change - Not Started", "Registration - Not Started",
            }));
            Assert.That(done.StatusInformation, Is.EqualTo(new[]
            {
                "Verification - Pass", "License Mode Change - Not Applicable", "Transport Mode Change - Not Applicable", "Registration - Pass",
            }));
            Assert.That(done.ProgressInfo[0].Detail, Is.EqualTo("CUCM 15.0"));
            Assert.That(done.Description, Is.EqualTo("Assignment of Cluster cl1-alfa to HCS-DEMO completed"));
            Assert.That(done.CompletedAt, Is.EqualTo(Completed));
        });
    }

    [Test]
    public async Task A_message_with_a_part_of_another_job_is_refused_whole()
    {
        var id = Guid.NewGuid();
        var other = Guid.NewGuid();
        var faultsBefore = host.Log.Faults.Count;

        await host.PublishAndWaitAsync(new JobProgressed
        {
            JobId = id,
            Created = Created(id),
            Steps = [Step(other, Verification, JobStepStatus.Pass)],
        });

        Assert.Multiple(async () =>
        {
            Assert.That(host.Log.Faults.Skip(faultsBefore).OfType<InvalidMessageException>().Select(f => f.Message),
                Has.Some.Contains("names another job"));
            Assert.That(await host.Api.GetJobAsync(id), Is.Null, "nothing of it applied");
            Assert.That(await host.Api.GetJobAsync(other), Is.Null, "nothing of it applied");
        });
    }

    [Test]
    public async Task A_message_with_more_step_changes_than_a_transition_makes_is_refused_whole()
    {
        var id = Guid.NewGuid();
        var faultsBefore = host.Log.Faults.Count;

        // A publisher appending steps by the thousand would grow the job's row without bound.
        await host.PublishAndWaitAsync(new JobProgressed
        {
            JobId = id,
            Created = Created(id),
            Steps = [.. Enumerable.Range(0, JobTracker.Jobs.JobRules.MaxStepChanges + 1).Select(i => Step(id, $"Step {i}", JobStepStatus.Pass))],
        });

        Assert.Multiple(async () =>
        {
            Assert.That(host.Log.Faults.Skip(faultsBefore).OfType<InvalidMessageException>().Select(f => f.Message),
                Has.Some.Contains($"more than {JobTracker.Jobs.JobRules.MaxStepChanges} step changes"));
            Assert.That(await host.Api.GetJobAsync(id), Is.Null, "nothing of it applied");
        });
    }
}
