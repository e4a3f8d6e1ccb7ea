using HcsLicensing.Contracts.Jobs;
using HcsLicensing.JobTracker.Jobs;
using static HcsLicensing.JobTracker.Tests.Jobs.JobEvents;

namespace HcsLicensing.JobTracker.Tests.Jobs;

/// <summary>The event rules without a bus: each case breaks if its rule is broken.</summary>
public class JobRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 15, 52, 40, TimeSpan.Zero);

    private static JobState NewJob(Guid id) => new() { CorrelationId = id };

    private static JobState CreatedJob(out Guid id)
    {
        id = Guid.NewGuid();
        var job = NewJob(id);
        JobRules.Apply(job, Created(id), Now);
        return job;
    }

    private static JobStepStatus StatusOf(JobState job, string step) => job.ProgressInfo.Single(s => s.Name == step).Status;

    // (a) any event may arrive first

    [Test]
    public void A_step_change_arriving_first_creates_a_placeholder_job_with_that_step()
    {
        var id = Guid.NewGuid();
        var job = NewJob(id);

        var changed = JobRules.Apply(job, Step(id, Verification, JobStepStatus.Inprogress), Now);

        Assert.Multiple(() =>
        {
            Assert.That(changed, Is.True);
            Assert.That(job.DetailsReceived, Is.False);
            Assert.That(job.EntityName, Is.EqualTo(JobRules.PlaceholderEntityName));
            Assert.That(job.Description, Is.EqualTo(JobRules.PlaceholderDescription));
            Assert.That(job.Status, Is.EqualTo(JobStatus.InProgress));
            Assert.That(job.Attempt, Is.EqualTo(1));
            Assert.That(job.ProgressInfo.Select(s => (s.Name, s.Status)), Is.EqualTo(new[] { (Verification, JobStepStatus.Inprogress) }));
        });
    }

    [Test]
    public void A_late_JobCreated_fills_in_the_details_and_keeps_the_progress_already_recorded()
    {
        var id = Guid.NewGuid();
        var job = NewJob(id);
        JobRules.Apply(job, Step(id, LicenseModeChange, JobStepStatus.Pass), Now);
        JobRules.Apply(job, Step(id, "Audit", JobStepStatus.Inprogress), Now);

        JobRules.Apply(job, Created(id), Now);

        Assert.Multiple(() =>
        {
            Assert.That(job.DetailsReceived, Is.True);
            Assert.That(job.EntityName, Is.EqualTo("cl1-alfa"));
            Assert.That(job.Description, Is.EqualTo("Assignment of Cluster cl1-alfa to HCS-DEMO started"));
            Assert.That(job.InitiatedAt, Is.EqualTo(Initiated));
            // JobCreated's order first, with recorded progress; a recorded step it does not list stays, after them.
            Assert.That(job.ProgressInfo.Select(s => (s.Name, s.Status)), Is.EqualTo(new[]
            {
                (Verification, JobStepStatus.NotStarted),
                (LicenseModeChange, JobStepStatus.Pass),
                (TransportModeChange, JobStepStatus.NotStarted),
                (Registration, JobStepStatus.NotStarted),
                ("Audit", JobStepStatus.Inprogress),
            }));
        });
    }

    [Test]
    public void A_JobCreated_after_the_success_keeps_the_final_description_and_status()
    {
        var id = Guid.NewGuid();
        var job = NewJob(id);
        JobRules.Apply(job, Succeeded(id, description: "Assignment of Cluster cl1-alfa to HCS-DEMO completed"), Now);

        JobRules.Apply(job, Created(id), Now);

        Assert.Multiple(() =>
        {
            Assert.That(job.Description, Is.EqualTo("Assignment of Cluster cl1-alfa to HCS-DEMO completed"));
            Assert.That(job.Status, Is.EqualTo(JobStatus.Succeeded));
            Assert.That(job.EntityName, Is.EqualTo("cl1-alfa"));
        });
    }

    [Test]
    public void A_queued_job_takes_the_description_and_start_time_of_its_start()
    {
        var id = Guid.NewGuid();
        var job = NewJob(id);
        var queued = Created(id) with { Description = "Assignment of Cluster cl1-alfa to HCS-DEMO queued", Queued = true };
        JobRules.Apply(job, queued, Now);
        var listedAs = (job.Description, job.InitiatedAt, job.DetailsReceived);

        JobRules.Apply(job, Created(id, initiatedAt: Initiated.AddMinutes(7)), Now.AddMinutes(7));
        var lateAnnouncement = JobRules.Apply(job, queued, Now.AddMinutes(8));

        Assert.Multiple(() =>
        {
            Assert.That(listedAs, Is.EqualTo(("Assignment of Cluster cl1-alfa to HCS-DEMO queued", Initiated, false)));
            Assert.That(job.Description, Is.EqualTo("Assignment of Cluster cl1-alfa to HCS-DEMO started"));
            Assert.That(job.InitiatedAt, Is.EqualTo(Initiated.AddMinutes(7)), "initiatedAt is when it started, not when the batch listed it");
            Assert.That(lateAnnouncement, Is.False, "an announcement arriving after the start changes nothing");
        });
    }

    [Test]
    public void A_duplicate_JobCreated_changes_nothing()
    {
        var job = CreatedJob(out var id);
        JobRules.Apply(job, Step(id, Verification, JobStepStatus.Pass), Now);

        var changed = JobRules.Apply(job, Created(id) with { EntityName = "OTHER", Steps = ["Something else"] }, Now.AddMinutes(1));

        Assert.Multiple(() =>
        {
            Assert.That(changed, Is.False);
            Assert.That(job.EntityName, Is.EqualTo("cl1-alfa"));
            Assert.That(StatusOf(job, Verification), Is.EqualTo(JobStepStatus.Pass));
            Assert.That(job.ProgressInfo, Has.Count.EqualTo(4));
            Assert.That(job.LastUpdatedAt, Is.EqualTo(Now));
        });
    }

    [Test]
    public void A_late_JobCreated_does_not_override_cancelability_a_step_reported()
    {
        var id = Guid.NewGuid();
        var job = NewJob(id);
        JobRules.Apply(job, Step(id, Registration, JobStepStatus.Inprogress) with { IsCancelable = false }, Now);

        JobRules.Apply(job, Created(id) with { IsCancelable = true }, Now);

        Assert.That(job.IsCancelable, Is.False);
    }

    // (b) a step only advances within an attempt

    [TestCase(JobStepStatus.Inprogress, JobStepStatus.Pass)]
    [TestCase(JobStepStatus.NotStarted, JobStepStatus.NotApplicable)]
    [TestCase(JobStepStatus.Inprogress, JobStepStatus.Fail)]
    public void A_step_advances_to_a_later_status(JobStepStatus from, JobStepStatus to)
    {
        var job = CreatedJob(out var id);
        JobRules.Apply(job, Step(id, Verification, from), Now);

        var changed = JobRules.Apply(job, Step(id, Verification, to, detail: "checked"), Now.AddSeconds(1));

        Assert.Multiple(() =>
        {
            Assert.That(changed, Is.True);
            Assert.That(StatusOf(job, Verification), Is.EqualTo(to));
            Assert.That(job.ProgressInfo[0].Detail, Is.EqualTo("checked"));
            Assert.That(job.LastUpdatedAt, Is.EqualTo(Now.AddSeconds(1)));
        });
    }

    [TestCase(JobStepStatus.Pass, JobStepStatus.Inprogress)]
    [TestCase(JobStepStatus.Pass, JobStepStatus.NotStarted)]
    [TestCase(JobStepStatus.Pass, JobStepStatus.Pass)]
    [TestCase(JobStepStatus.Pass, JobStepStatus.Fail)]
    [TestCase(JobStepStatus.NotApplicable, JobStepStatus.Pass)]
    [TestCase(JobStepStatus.Inprogress, JobStepStatus.Inprogress)]
    public void A_late_or_duplicate_lower_or_equal_step_status_is_ignored_with_its_detail(JobStepStatus from, JobStepStatus late)
    {
        var job = CreatedJob(out var id);
        JobRules.Apply(job, Step(id, Verification, from, detail: "first"), Now);

        var changed = JobRules.Apply(job, Step(id, Verification, late, detail: "late") with { IsCancelable = true }, Now.AddSeconds(5));

        Assert.Multiple(() =>
        {
            Assert.That(changed, Is.False);
            Assert.That(StatusOf(job, Verification), Is.EqualTo(from));
            Assert.That(job.ProgressInfo[0].Detail, Is.EqualTo("first"));
            Assert.That(job.IsCancelable, Is.False);
            Assert.That(job.LastUpdatedAt, Is.EqualTo(Now));
        });
    }

    // (c) the first terminal outcome of an attempt wins

    [Test]
    public void A_duplicate_success_changes_nothing()
    {
        var job = CreatedJob(out var id);
        JobRules.Apply(job, Succeeded(id), Now);
        var completedAt = job.CompletedAt;

        var changed = JobRules.Apply(job, Succeeded(id) with { CompletedAt = Completed.AddMinutes(3), Description = "again" }, Now.AddMinutes(3));

        Assert.Multiple(() =>
        {
            Assert.That(changed, Is.False);
            Assert.That(job.CompletedAt, Is.EqualTo(completedAt));
            Assert.That(job.Description, Is.Not.EqualTo("again"));
            Assert.That(job.LastUpdatedAt, Is.EqualTo(Now));
        });
    }

    [Test]
    public void A_failure_after_the_success_of_the_same_attempt_is_ignored()
    {
        var job = CreatedJob(out var id);
        JobRules.Apply(job, Succeeded(id), Now);

        var changed = JobRules.Apply(job, Failed(id, LicenseModeChange), Now);

        Assert.Multiple(() =>
        {
            Assert.That(changed, Is.False);
            Assert.That(job.Status, Is.EqualTo(JobStatus.Succeeded));
            Assert.That(job.ErrorDescription, Is.Null);
            Assert.That(job.IsRestartable, Is.False);
        });
    }

    [Test]
    public void A_step_change_overtaken_by_the_success_still_moves_its_step_forward()
    {
        var job = CreatedJob(out var id);
        JobRules.Apply(job, Step(id, Verification, JobStepStatus.Inprogress), Now);
        JobRules.Apply(job, Succeeded(id), Now);

        var changed = JobRules.Apply(job, Step(id, Verification, JobStepStatus.Pass), Now);

        Assert.Multiple(() =>
        {
            Assert.That(changed, Is.True);
            Assert.That(StatusOf(job, Verification), Is.EqualTo(JobStepStatus.Pass));
            Assert.That(job.Status, Is.EqualTo(JobStatus.Succeeded));
        });
    }

    [Test]
    public void A_failure_records_the_error_and_marks_the_failed_step()
    {
        var job = CreatedJob(out var id);
        JobRules.Apply(job, Step(id, LicenseModeChange, JobStepStatus.Inprogress) with { IsCancelable = true }, Now);

        JobRules.Apply(job, Failed(id, LicenseModeChange), Now);

        Assert.Multiple(() =>
        {
            Assert.That(job.Status, Is.EqualTo(JobStatus.Failed));
            Assert.That(job.FailedStep, Is.EqualTo(LicenseModeChange));
            Assert.That(StatusOf(job, LicenseModeChange), Is.EqualTo(JobStepStatus.Fail));
            Assert.That(job.ErrorDescription, Is.EqualTo("Platform credentials rejected by cl1-alfa"));
            Assert.That(job.RecommendedAction, Is.EqualTo("Check the cluster's platform credentials, then restart the job"));
            Assert.That(job.IsRestartable, Is.True);
            Assert.That(job.IsCancelable, Is.False);
            Assert.That(job.CompletedAt, Is.EqualTo(Completed));
        });
    }

    // (d) attempts

    [Test]
    public void Events_of_an_older_attempt_are_ignored()
    {
        var job = CreatedJob(out var id);
        JobRules.Apply(job, Failed(id, LicenseModeChange), Now);
        JobRules.Restart(job, Now);

        Assert.Multiple(() =>
        {
            Assert.That(JobRules.Apply(job, Step(id, LicenseModeChange, JobStepStatus.Pass), Now), Is.False);
            Assert.That(JobRules.Apply(job, Succeeded(id), Now), Is.False);
            Assert.That(JobRules.Apply(job, Failed(id, Verification), Now), Is.False);
            Assert.That(job.Status, Is.EqualTo(JobStatus.InProgress));
            Assert.That(job.Attempt, Is.EqualTo(2));
            Assert.That(StatusOf(job, LicenseModeChange), Is.EqualTo(JobStepStatus.NotStarted));
        });
    }

    [Test]
    public void An_event_of_a_newer_attempt_starts_it_from_the_failed_step()
    {
        var job = CreatedJob(out var id);
        JobRules.Apply(job, Step(id, Verification, JobStepStatus.Pass), Now);
        JobRules.Apply(job, Step(id, LicenseModeChange, JobStepStatus.Inprogress), Now);
        JobRules.Apply(job, Step(id, TransportModeChange, JobStepStatus.NotApplicable), Now);
        JobRules.Apply(job, Failed(id, LicenseModeChange), Now);

        var changed = JobRules.Apply(job, Step(id, TransportModeChange, JobStepStatus.Inprogress) with { Attempt = 2 }, Now.AddMinutes(5));

        Assert.Multiple(() =>
        {
            Assert.That(changed, Is.True);
            Assert.That(job.Attempt, Is.EqualTo(2));
            Assert.That(job.Status, Is.EqualTo(JobStatus.InProgress));
            Assert.That(job.ErrorDescription, Is.Null);
            Assert.That(job.RecommendedAction, Is.Null);
            Assert.That(job.CompletedAt, Is.Null);
            Assert.That(job.ProgressInfo.Select(s => s.Status), Is.EqualTo(new[]
            {
                JobStepStatus.Pass, JobStepStatus.NotStarted, JobStepStatus.Inprogress, JobStepStatus.NotStarted,
            }));
        });
    }

    [Test]
    public void A_success_of_a_newer_attempt_ends_that_attempt_even_when_the_older_one_failed()
    {
        var job = CreatedJob(out var id);
        JobRules.Apply(job, Failed(id, LicenseModeChange), Now);

        JobRules.Apply(job, Succeeded(id) with { Attempt = 2 }, Now);

        Assert.Multiple(() =>
        {
            Assert.That(job.Status, Is.EqualTo(JobStatus.Succeeded));
            Assert.That(job.Attempt, Is.EqualTo(2));
            Assert.That(job.ErrorDescription, Is.Null);
        });
    }

    // (e) restart and cancel

    [Test]
    public void Restart_of_a_failed_restartable_job_starts_the_next_attempt_at_the_failed_step()
    {
        var job = CreatedJob(out var id);
        JobRules.Apply(job, Step(id, Verification, JobStepStatus.Pass), Now);
        JobRules.Apply(job, Failed(id, LicenseModeChange), Now);

        var decision = JobRules.Restart(job, Now.AddMinutes(1));

        Assert.Multiple(() =>
        {
            Assert.That(decision, Is.EqualTo(CommandDecision.Accept(LicenseModeChange)));
            Assert.That(job.Attempt, Is.EqualTo(2));
            Assert.That(job.Status, Is.EqualTo(JobStatus.InProgress));
            Assert.That(job.IsRestartable, Is.False);
            Assert.That(job.FailedStep, Is.Null);
            Assert.That(StatusOf(job, Verification), Is.EqualTo(JobStepStatus.Pass));
            Assert.That(StatusOf(job, LicenseModeChange), Is.EqualTo(JobStepStatus.NotStarted));
        });
    }

    [Test]
    public void Restart_of_a_succeeded_job_is_rejected_and_changes_nothing()
    {
        var job = CreatedJob(out var id);
        JobRules.Apply(job, Succeeded(id), Now);

        var decision = JobRules.Restart(job, Now.AddMinutes(1));

        Assert.Multiple(() =>
        {
            Assert.That(decision.Accepted, Is.False);
            Assert.That(decision.Reason, Does.Contain("Succeeded"));
            Assert.That(job.Attempt, Is.EqualTo(1));
            Assert.That(job.Status, Is.EqualTo(JobStatus.Succeeded));
        });
    }

    [Test]
    public void Restart_of_a_failed_job_that_is_not_restartable_is_rejected()
    {
        var job = CreatedJob(out var id);
        JobRules.Apply(job, Failed(id, LicenseModeChange) with { IsRestartable = false }, Now);

        var decision = JobRules.Restart(job, Now);

        Assert.Multiple(() =>
        {
            Assert.That(decision.Accepted, Is.False);
            Assert.That(decision.Reason, Does.Contain("not restartable"));
            Assert.That(job.Attempt, Is.EqualTo(1));
        });
    }

    [Test]
    public void Cancel_of_a_cancelable_job_in_progress_is_recorded_and_the_owner_ends_it()
    {
        var job = CreatedJob(out var id);
        JobRules.Apply(job, Step(id, Verification, JobStepStatus.Inprogress) with { IsCancelable = true }, Now);

        var decision = JobRules.Cancel(job, Now);
        var requested = job.CancelRequested;
        JobRules.Apply(job, Canceled(id), Now);

        Assert.Multiple(() =>
        {
            Assert.That(decision.Accepted, Is.True);
            Assert.That(requested, Is.True);
            Assert.That(job.Status, Is.EqualTo(JobStatus.Canceled));
            Assert.That(job.ErrorDescription, Is.EqualTo("operator request"));
            Assert.That(job.CancelRequested, Is.False);
        });
    }

    [Test]
    public void Cancel_is_rejected_when_the_job_is_not_cancelable_or_has_ended()
    {
        var notCancelable = CreatedJob(out _);
        var ended = CreatedJob(out var endedId);
        JobRules.Apply(ended, Succeeded(endedId), Now);

        var atStep = JobRules.Cancel(notCancelable, Now);
        var afterEnd = JobRules.Cancel(ended, Now);

        Assert.Multiple(() =>
        {
            Assert.That(atStep.Accepted, Is.False);
            Assert.That(atStep.Reason, Does.Contain("cannot be canceled"));
            Assert.That(notCancelable.CancelRequested, Is.False);
            Assert.That(afterEnd.Accepted, Is.False);
            Assert.That(afterEnd.Reason, Does.Contain("Succeeded"));
        });
    }

    [Test]
    public void Times_are_kept_in_utc()
    {
        var id = Guid.NewGuid();
        var job = NewJob(id);
        var local = new DateTimeOffset(2026, 11, 27, 16, 51, 33, TimeSpan.FromHours(1));

        JobRules.Apply(job, Created(id) with { InitiatedAt = local }, local);

        Assert.Multiple(() =>
        {
            Assert.That(job.InitiatedAt.Offset, Is.EqualTo(TimeSpan.Zero));
            Assert.That(job.InitiatedAt, Is.EqualTo(local));
            Assert.That(job.LastUpdatedAt.Offset, Is.EqualTo(TimeSpan.Zero));
        });
    }
}
