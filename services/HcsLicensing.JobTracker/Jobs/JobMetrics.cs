using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using HcsLicensing.Contracts.Jobs;
using HcsLicensing.ServiceDefaults.Outbox;
using HcsLicensing.ServiceDefaults.Telemetry;
using MassTransit;

namespace HcsLicensing.JobTracker.Jobs;

/// <summary>
/// Job metrics on the Meter "HcsLicensing.Jobs", measured where every job's events meet whoever owns the job: JobTracker.
/// Measurements come from what an event did to the job (a <see cref="JobSnapshot"/> before <see cref="JobRules"/>,
/// the job after), never from the event itself, so a duplicate, a redelivery or a stale event that JobRules ignores
/// counts nothing; and they are emitted only once the job's new state is committed (<see cref="WhenCommitted"/>), so a
/// message retried after a concurrency conflict counts once.
/// <list type="bullet">
/// <item><c>hcs.jobs.started</c>: a job's JobCreated applied (its type and entity are known from then on).</item>
/// <item><c>hcs.jobs.succeeded</c>, <c>hcs.jobs.failed</c>, <c>hcs.jobs.canceled</c>: an attempt ended, once its
/// JobCreated is in too (an end that overtakes JobCreated is counted when JobCreated arrives). A restarted job that
/// fails again or succeeds counts once more.</item>
/// <item><c>hcs.jobs.restarted</c>: a new attempt started.</item>
/// <item><c>hcs.jobs.in_flight</c>: jobs In Progress with their JobCreated in; a sum of this replica's changes (see docs/observability.md).</item>
/// <item><c>hcs.job.duration</c>: initiatedAt to completedAt (the owner's clock) at each end.</item>
/// <item><c>hcs.job.step.duration</c>: a step's Inprogress to its Pass, Fail or Not Applicable (the owner's times),
/// when this replica saw both.</item>
/// </list>
/// Tags: <c>hcs.job.type</c>, <c>hcs.job.entity_type</c>; <c>hcs.job.outcome</c> on durations; <c>hcs.job.step</c> on step durations.
/// </summary>
public sealed class JobMetrics
{
    public const string MeterName = TelemetryExtensions.JobsMeter;

    public const string TypeTag = "hcs.job.type";
    public const string EntityTypeTag = "hcs.job.entity_type";
    public const string OutcomeTag = "hcs.job.outcome";
    public const string StepTag = "hcs.job.step";

    /// <summary>Jobs whose step start times are kept; beyond it the longest-known are forgotten (their steps then go unmeasured).</summary>
    public const int TrackedJobsLimit = 10_000;

    // From a fraction of a second (a step CHPA answers at once) to an hour (a registration waiting for a slow publisher).
    private static readonly double[] DurationBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];

    private readonly Counter<long> started;
    private readonly Counter<long> succeeded;
    private readonly Counter<long> failed;
    private readonly Counter<long> canceled;
    private readonly Counter<long> restarted;
    private readonly UpDownCounter<long> inFlight;
    private readonly Histogram<double> jobDuration;
    private readonly Histogram<double> stepDuration;

    // When each step of a job's current attempt went Inprogress. JobStep keeps no time, so this replica remembers it;
    // a step whose Inprogress another replica (or a previous run of this one) applied is not measured.
    private readonly ConcurrentDictionary<Guid, StepStarts> stepStarts = new();

    public JobMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        started = meter.CreateCounter<long>("hcs.jobs.started", "{job}", "Jobs whose JobCreated JobTracker applied");
        succeeded = meter.CreateCounter<long>("hcs.jobs.succeeded", "{job}", "Job attempts that ended Succeeded");
        failed = meter.CreateCounter<long>("hcs.jobs.failed", "{job}", "Job attempts that ended Failed");
        canceled = meter.CreateCounter<long>("hcs.jobs.canceled", "{job}", "Job attempts that ended Canceled");
        restarted = meter.CreateCounter<long>("hcs.jobs.restarted", "{job}", "Attempts started after a failure");
        inFlight = meter.CreateUpDownCounter<long>("hcs.jobs.in_flight", "{job}", "Jobs In Progress");
        var buckets = new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets };
        jobDuration = meter.CreateHistogram("hcs.job.duration", "s", "From a job's initiatedAt to the end of an attempt", advice: buckets);
        stepDuration = meter.CreateHistogram("hcs.job.step.duration", "s", "From a step's Inprogress to its Pass, Fail or Not Applicable", advice: buckets);
    }

    /// <summary>What the measurements compare: the job as it was before an event or command was applied.</summary>
    public static JobSnapshot Snapshot(JobState job) =>
        new(job.DetailsReceived, job.Status, job.Attempt, job.ProgressInfo.Select(step => (step.Name, step.Status)).ToArray());

    /// <summary>
    /// The measurements of one change, from <paramref name="before"/> to <paramref name="after"/>, to emit once it is committed;
    /// null when there are none. <paramref name="occurredAt"/> is the event's time on the owner's clock (a step's start or end).
    /// </summary>
    public Action? Measure(JobSnapshot before, JobState after, DateTimeOffset occurredAt)
    {
        var jobId = after.CorrelationId;
        var attempt = after.Attempt;
        var job = new TagList { { TypeTag, after.JobType }, { EntityTypeTag, after.EntityType } };
        var emit = new List<Action>();

        if (!before.DetailsReceived && after.DetailsReceived)
        {
            emit.Add(() => started.Add(1, job));
        }

        if (before.Attempt > 0 && attempt > before.Attempt && after.DetailsReceived)
        {
            emit.Add(() => restarted.Add(1, job));
        }

        // Type and entity change only with JobCreated, when the job was not counted in flight before: +1 and -1 match.
        var wasInFlight = before.DetailsReceived && before.Status == JobStatus.InProgress;
        var isInFlight = after.DetailsReceived && after.Status == JobStatus.InProgress;
        if (wasInFlight != isInFlight)
        {
            emit.Add(() => inFlight.Add(isInFlight ? 1 : -1, job));
        }

        foreach (var (name, status) in after.ProgressInfo.Select(step => (step.Name, step.Status)))
        {
            var was = Array.Find(before.Steps, step => step.Name == name).Status;
            if (status == was)
            {
                continue;
            }

            if (status == JobStepStatus.Inprogress)
            {
                emit.Add(() => StepStarted(jobId, attempt, name, occurredAt));
            }
            else if (JobRules.Rank(status) == 2)
            {
                var tags = job;
                tags.Add(StepTag, name);
                tags.Add(OutcomeTag, JobDisplayNames.Of(status));
                emit.Add(() =>
                {
                    if (StepEnded(jobId, attempt, name) is { } startedAt)
                    {
                        stepDuration.Record(Math.Max(0, (occurredAt - startedAt).TotalSeconds), tags);
                    }
                });
            }
        }

        // After the steps: the end forgets the job's step starts, which a failed step's duration still needs.
        var hadEnded = before.DetailsReceived && before.Status != JobStatus.InProgress && before.Attempt == attempt;
        var hasEnded = after.DetailsReceived && after.Status != JobStatus.InProgress;
        if (hasEnded && !hadEnded)
        {
            var ends = after.Status switch
            {
                JobStatus.Succeeded => succeeded,
                JobStatus.Failed => failed,
                _ => canceled,
            };
            var seconds = Math.Max(0, ((after.CompletedAt ?? occurredAt) - after.InitiatedAt).TotalSeconds);
            var ended = job;
            ended.Add(OutcomeTag, JobDisplayNames.Of(after.Status));
            emit.Add(() =>
            {
                ends.Add(1, job);
                jobDuration.Record(seconds, ended);
            });
        }

        if (after.Status != JobStatus.InProgress && (before.Status == JobStatus.InProgress || before.Attempt != attempt))
        {
            // The attempt ended: its steps will not move again.
            emit.Add(() => stepStarts.TryRemove(jobId, out _));
        }

        return emit.Count == 0 ? null : () => emit.ForEach(action => action());
    }

    /// <summary>
    /// Runs <paramref name="emit"/> once the message's transaction has committed the job (the transactional outbox,
    /// which ServiceDefaults puts on every endpoint, runs it after its commit and drops it if the message fails, so a
    /// retry measures again). Outside a transaction of the outbox, at once.
    /// </summary>
    public static Task WhenCommitted(ConsumeContext context, Action? emit)
    {
        if (emit is null)
        {
            return Task.CompletedTask;
        }

        if (context.TryGetPayload(out IServiceProvider? services) && services?.GetService<TransactionEnd>() is { IsOpen: true } end)
        {
            end.AfterCommit(emit);
            return Task.CompletedTask;
        }

        emit();
        return Task.CompletedTask;
    }

    private void StepStarted(Guid jobId, int attempt, string step, DateTimeOffset at)
    {
        var starts = stepStarts.GetOrAdd(jobId, _ => new StepStarts());
        lock (starts)
        {
            if (starts.Attempt != attempt)
            {
                // A new attempt: the failed run's starts are of no use.
                starts.Attempt = attempt;
                starts.Times.Clear();
            }

            starts.Times[step] = at;
        }

        if (stepStarts.Count > TrackedJobsLimit)
        {
            // Jobs whose end never came (their owner gave up, or another replica applied it): forget the oldest.
            foreach (var stale in stepStarts.OrderBy(pair => pair.Value.Since).Take(stepStarts.Count - TrackedJobsLimit).Select(pair => pair.Key).ToList())
            {
                stepStarts.TryRemove(stale, out _);
            }
        }
    }

    private DateTimeOffset? StepEnded(Guid jobId, int attempt, string step)
    {
        if (!stepStarts.TryGetValue(jobId, out var starts))
        {
            return null;
        }

        lock (starts)
        {
            return starts.Attempt == attempt && starts.Times.Remove(step, out var at) ? at : null;
        }
    }

    private sealed class StepStarts
    {
        public int Attempt { get; set; }

        public long Since { get; } = Environment.TickCount64;

        public Dictionary<string, DateTimeOffset> Times { get; } = new(StringComparer.Ordinal);
    }
}

/// <summary>A job as it was before an event or command changed it: what <see cref="JobMetrics"/> compares with.</summary>
public readonly record struct JobSnapshot(bool DetailsReceived, JobStatus Status, int Attempt, (string Name, JobStepStatus Status)[] Steps);
