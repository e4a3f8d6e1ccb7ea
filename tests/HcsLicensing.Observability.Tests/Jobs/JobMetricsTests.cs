extern alias jobtracker;

using System.Diagnostics.Metrics;
using HcsLicensing.Contracts.ClusterAssignments;
using HcsLicensing.Contracts.Jobs;
using jobtracker::HcsLicensing.JobTracker.Jobs;
using Microsoft.Extensions.DependencyInjection;

namespace HcsLicensing.Observability.Tests.Jobs;

/// <summary>
/// JobTracker's job metrics, measured from what JobRules did to a job, as the state machine does it (Track): a snapshot
/// before, the rule, then the measurements of the change. Whether they wait for the commit is in <see cref="JobMetricsOnTheBusTests"/>.
/// </summary>
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public sealed class JobMetricsTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 15, 51, 33, TimeSpan.Zero);
    private static readonly (string, string)[] Cluster = [(JobMetrics.TypeTag, "Provisioning"), (JobMetrics.EntityTypeTag, "Cluster")];

    private readonly ServiceProvider services;
    private readonly JobMetrics metrics;
    private readonly MetricRecorder recorder;

    public JobMetricsTests()
    {
        services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        recorder = new MetricRecorder(meters);
        metrics = new JobMetrics(meters);
    }

    public void Dispose()
    {
        recorder.Dispose();
        services.Dispose();
    }

    [Test]
    public void A_job_run_to_success_counts_started_and_succeeded_once_with_its_duration_and_each_steps()
    {
        var job = NewJob();
        Apply(job, Created(job.CorrelationId), T0);
        Apply(job, Step(job.CorrelationId, ClusterOperationSteps.Verification, JobStepStatus.Inprogress, T0.AddSeconds(1)), T0.AddSeconds(1));
        Apply(job, Step(job.CorrelationId, ClusterOperationSteps.Verification, JobStepStatus.Pass, T0.AddSeconds(3)), T0.AddSeconds(3));
        Apply(job, Step(job.CorrelationId, ClusterOperationSteps.Registration, JobStepStatus.Inprogress, T0.AddSeconds(3)), T0.AddSeconds(3));
        Assert.That(recorder.Sum("hcs.jobs.in_flight", Cluster), Is.EqualTo(1), "in flight while it runs");
        Apply(job, Step(job.CorrelationId, ClusterOperationSteps.Registration, JobStepStatus.Pass, T0.AddSeconds(23)), T0.AddSeconds(23));
        Apply(job, Succeeded(job.CorrelationId, T0.AddSeconds(24)), T0.AddSeconds(24));

        var steps = recorder.Of("hcs.job.step.duration", Cluster);
        Assert.Multiple(() =>
        {
            Assert.That(recorder.Sum("hcs.jobs.started", Cluster), Is.EqualTo(1));
            Assert.That(recorder.Sum("hcs.jobs.succeeded", Cluster), Is.EqualTo(1));
            Assert.That(recorder.Of("hcs.jobs.failed").Concat(recorder.Of("hcs.jobs.canceled")).Concat(recorder.Of("hcs.jobs.restarted")), Is.Empty);
            Assert.That(recorder.Sum("hcs.jobs.in_flight", Cluster), Is.EqualTo(0));
            Assert.That(recorder.Of("hcs.job.duration", Cluster).Select(m => (m.Value, m.Tags[JobMetrics.OutcomeTag])), Is.EqualTo(new[] { (24.0, "Succeeded") }));
            Assert.That(steps.Select(m => (m.Tags[JobMetrics.StepTag], m.Tags[JobMetrics.OutcomeTag], m.Value)),
                Is.EqualTo(new[] { (ClusterOperationSteps.Verification, "Pass", 2.0), (ClusterOperationSteps.Registration, "Pass", 20.0) }));
        });
    }

    [Test]
    public void Redelivered_and_stale_events_count_nothing_more()
    {
        var job = NewJob();
        var created = Created(job.CorrelationId);
        var inProgress = Step(job.CorrelationId, ClusterOperationSteps.Verification, JobStepStatus.Inprogress, T0.AddSeconds(1));
        var pass = Step(job.CorrelationId, ClusterOperationSteps.Verification, JobStepStatus.Pass, T0.AddSeconds(2));
        var succeeded = Succeeded(job.CorrelationId, T0.AddSeconds(5));
        foreach (var _ in Enumerable.Range(0, 3))
        {
            Apply(job, created, T0);
            Apply(job, inProgress, inProgress.OccurredAt);
            Apply(job, pass, pass.OccurredAt);
            Apply(job, succeeded, succeeded.CompletedAt);
            // A failure after the success loses (rule c): not counted either.
            Apply(job, new JobFailed { JobId = job.CorrelationId, ErrorDescription = "late", RecommendedAction = "none", FailedAt = T0.AddSeconds(6) }, T0.AddSeconds(6));
        }

        Assert.Multiple(() =>
        {
            Assert.That(recorder.Sum("hcs.jobs.started", Cluster), Is.EqualTo(1));
            Assert.That(recorder.Sum("hcs.jobs.succeeded", Cluster), Is.EqualTo(1));
            Assert.That(recorder.Of("hcs.jobs.failed"), Is.Empty);
            Assert.That(recorder.Of("hcs.job.duration"), Has.Count.EqualTo(1));
            Assert.That(recorder.Of("hcs.job.step.duration"), Has.Count.EqualTo(1));
            Assert.That(recorder.Sum("hcs.jobs.in_flight", Cluster), Is.EqualTo(0));
        });
    }

    [Test]
    public void An_end_that_overtakes_JobCreated_is_counted_when_JobCreated_arrives_with_the_jobs_real_type()
    {
        var job = NewJob();
        Apply(job, Succeeded(job.CorrelationId, T0.AddSeconds(9)), T0.AddSeconds(9));
        Assert.That(recorder.All, Is.Empty, "type and entity are placeholders until JobCreated");

        Apply(job, Created(job.CorrelationId), T0);

        Assert.Multiple(() =>
        {
            Assert.That(recorder.Sum("hcs.jobs.started", Cluster), Is.EqualTo(1));
            Assert.That(recorder.Sum("hcs.jobs.succeeded", Cluster), Is.EqualTo(1));
            Assert.That(recorder.Of("hcs.job.duration", Cluster).Single().Value, Is.EqualTo(9), "initiatedAt from JobCreated");
            Assert.That(recorder.Of("hcs.jobs.in_flight"), Is.Empty, "never in flight");
        });
    }

    [Test]
    public void A_failed_job_restarted_to_success_counts_the_failure_the_restart_and_the_success()
    {
        var job = NewJob();
        Apply(job, Created(job.CorrelationId), T0);
        Apply(job, Step(job.CorrelationId, ClusterOperationSteps.Registration, JobStepStatus.Inprogress, T0.AddSeconds(1)), T0.AddSeconds(1));
        Apply(job, new JobFailed
        {
            JobId = job.CorrelationId, FailedStep = ClusterOperationSteps.Registration, ErrorDescription = "token rejected", RecommendedAction = "restart",
            IsRestartable = true, FailedAt = T0.AddSeconds(4),
        }, T0.AddSeconds(4));
        Assert.That(recorder.Sum("hcs.jobs.in_flight", Cluster), Is.EqualTo(0), "not in flight once failed");

        // The operator's RestartJob, as the state machine's OnRestart applies it.
        var before = JobMetrics.Snapshot(job);
        Assert.That(JobRules.Restart(job, T0.AddSeconds(60)).Accepted, Is.True);
        metrics.Measure(before, job, T0.AddSeconds(60))?.Invoke();
        Assert.That(recorder.Sum("hcs.jobs.in_flight", Cluster), Is.EqualTo(1), "in flight again");

        Apply(job, Step(job.CorrelationId, ClusterOperationSteps.Registration, JobStepStatus.Inprogress, T0.AddSeconds(61), attempt: 2), T0.AddSeconds(61));
        Apply(job, Step(job.CorrelationId, ClusterOperationSteps.Registration, JobStepStatus.Pass, T0.AddSeconds(66), attempt: 2), T0.AddSeconds(66));
        Apply(job, Succeeded(job.CorrelationId, T0.AddSeconds(67), attempt: 2), T0.AddSeconds(67));

        Assert.Multiple(() =>
        {
            Assert.That(recorder.Sum("hcs.jobs.started", Cluster), Is.EqualTo(1));
            Assert.That(recorder.Sum("hcs.jobs.failed", Cluster), Is.EqualTo(1));
            Assert.That(recorder.Sum("hcs.jobs.restarted", Cluster), Is.EqualTo(1));
            Assert.That(recorder.Sum("hcs.jobs.succeeded", Cluster), Is.EqualTo(1));
            Assert.That(recorder.Sum("hcs.jobs.in_flight", Cluster), Is.EqualTo(0));
            Assert.That(recorder.Of("hcs.job.duration", Cluster).Select(m => (m.Tags[JobMetrics.OutcomeTag], m.Value)),
                Is.EqualTo(new[] { ("Failed", 4.0), ("Succeeded", 67.0) }), "from the job's initiatedAt to each end");
            Assert.That(recorder.Of("hcs.job.step.duration", Cluster).Select(m => (m.Tags[JobMetrics.OutcomeTag], m.Value)),
                Is.EqualTo(new[] { ("Fail", 3.0), ("Pass", 5.0) }), "each attempt's Registration");
        });
    }

    [Test]
    public void A_step_whose_start_this_replica_did_not_see_is_not_measured()
    {
        var job = NewJob();
        Apply(job, Created(job.CorrelationId), T0);
        // The Pass overtook its Inprogress, which is then stale and ignored.
        Apply(job, Step(job.CorrelationId, ClusterOperationSteps.Verification, JobStepStatus.Pass, T0.AddSeconds(2)), T0.AddSeconds(2));
        Apply(job, Step(job.CorrelationId, ClusterOperationSteps.Verification, JobStepStatus.Inprogress, T0.AddSeconds(1)), T0.AddSeconds(1));

        Assert.That(recorder.Of("hcs.job.step.duration"), Is.Empty);
    }

    /// <summary>What JobStateMachine.Track does with an event: snapshot, rule, and (when it changed the job) the measurements.</summary>
    private void Apply<T>(JobState job, T message, DateTimeOffset occurredAt)
    {
        var before = JobMetrics.Snapshot(job);
        var now = DateTimeOffset.UtcNow;
        var changed = message switch
        {
            JobCreated m => JobRules.Apply(job, m, now),
            JobStepChanged m => JobRules.Apply(job, m, now),
            JobSucceeded m => JobRules.Apply(job, m, now),
            JobFailed m => JobRules.Apply(job, m, now),
            JobCanceled m => JobRules.Apply(job, m, now),
            _ => throw new ArgumentException($"not a job event: {typeof(T).Name}", nameof(message)),
        };
        if (changed)
        {
            metrics.Measure(before, job, occurredAt)?.Invoke();
        }
    }

    private static JobState NewJob() => new() { CorrelationId = Guid.NewGuid() };

    private static JobCreated Created(Guid jobId) => new()
    {
        JobId = jobId,
        JobType = "Provisioning",
        EntityType = "Cluster",
        EntityName = "hcs-cl-0001",
        Description = "Assignment of Cluster hcs-cl-0001 to HCS-CUST-0002 started",
        Steps = [ClusterOperationSteps.Verification, ClusterOperationSteps.LicenseModeChange, ClusterOperationSteps.TransportModeChange, ClusterOperationSteps.Registration],
        IsCancelable = true,
        InitiatedAt = T0,
    };

    private static JobStepChanged Step(Guid jobId, string step, JobStepStatus status, DateTimeOffset at, int attempt = 1) =>
        new() { JobId = jobId, Attempt = attempt, Step = step, Status = status, OccurredAt = at };

    private static JobSucceeded Succeeded(Guid jobId, DateTimeOffset at, int attempt = 1) => new() { JobId = jobId, Attempt = attempt, CompletedAt = at };
}
