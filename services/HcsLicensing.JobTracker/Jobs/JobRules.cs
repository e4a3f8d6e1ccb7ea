using HcsLicensing.Contracts.Jobs;

namespace HcsLicensing.JobTracker.Jobs;

/// <summary>
/// How job events and commands change a <see cref="JobState"/>; plain C#, so the rules are tested without a bus.
/// <para>
/// THE RULE: an event never moves a job backwards. RabbitMQ gives no order between messages, retries
/// redeliver, and the owner may publish twice, so every event is judged against what the job already holds:
/// (a) any event may come first and creates the job (placeholders until JobCreated, which keeps recorded progress);
/// (b) within an attempt a step only advances NotStarted &lt; Inprogress &lt; {Pass, Fail, NotApplicable};
/// (c) the first terminal outcome of an attempt wins; later step advances of that attempt still apply;
/// (d) events of an older attempt are ignored, and an event of a newer attempt starts that attempt.
/// An ignored event leaves the job untouched (nothing written, LastUpdatedAt kept).
/// </para>
/// Every Apply returns whether the job changed. Times are stored in UTC (PostgreSQL timestamptz takes no other offset).
/// </summary>
public static partial class JobRules
{
    public const string DefaultJobType = "Provisioning";
    public const string DefaultEntityType = "Smart Account";
    public const string PlaceholderEntityName = "(not yet known)";
    public const string PlaceholderDescription = "Job reported before its JobCreated; details follow";
    public const string RestartCommand = "RestartJob";
    public const string CancelCommand = "CancelJob";
    public const string UnknownJob = "unknown job";

    public static bool Apply(JobState job, JobCreated created, DateTimeOffset now)
    {
        if (job.DetailsReceived)
        {
            return false;
        }

        if (job.Attempt == 0)
        {
            job.Attempt = 1;
        }

        // A queued job's announcement lists it; the JobCreated of its start follows and is the one that sticks.
        job.DetailsReceived = !created.Queued;
        job.JobType = created.JobType;
        job.EntityType = created.EntityType;
        job.EntityName = created.EntityName;
        // A batch's queued announcement already names the caller; the start says the same, or nothing.
        job.RequestedBy = created.RequestedBy ?? job.RequestedBy;
        // A JobSucceeded that came first may have set the final description ("... completed"): keep it. A queued
        // job's "... queued" gives way to "... started" when it starts.
        if (job.Description == PlaceholderDescription || (!created.Queued && job.Status == JobStatus.InProgress))
        {
            job.Description = created.Description;
        }

        job.InitiatedAt = created.InitiatedAt.ToUniversalTime();
        job.ProgressInfo = MergeSteps(created.Steps, job.ProgressInfo);
        if (job.Status == JobStatus.InProgress && job.Attempt == 1 && !job.CancelableReported)
        {
            job.IsCancelable = created.IsCancelable;
        }

        job.LastUpdatedAt = now.ToUniversalTime();
        return true;
    }

    public static bool Apply(JobState job, JobStepChanged changed, DateTimeOffset now)
    {
        if (!EnterAttempt(job, changed.Attempt, changed.OccurredAt, out var attemptStarted))
        {
            return false;
        }

        var step = FindStep(job, changed.Step, out var appended);
        var advanced = Advance(step, changed.Status, changed.Detail);
        // Cancelability comes with the step that changes it; a stale step event's view is stale too.
        if (advanced && changed.IsCancelable is { } cancelable && job.Status == JobStatus.InProgress)
        {
            job.IsCancelable = cancelable;
            job.CancelableReported = true;
        }

        return Touched(job, now, attemptStarted || appended || advanced);
    }

    public static bool Apply(JobState job, JobSucceeded succeeded, DateTimeOffset now)
    {
        if (!EnterAttempt(job, succeeded.Attempt, succeeded.CompletedAt, out var attemptStarted))
        {
            return false;
        }

        if (job.Status != JobStatus.InProgress)
        {
            return Touched(job, now, attemptStarted);
        }

        End(job, JobStatus.Succeeded, succeeded.CompletedAt);
        if (succeeded.Description is { } description)
        {
            job.Description = description;
        }

        return Touched(job, now, true);
    }

    public static bool Apply(JobState job, JobFailed failed, DateTimeOffset now)
    {
        if (!EnterAttempt(job, failed.Attempt, failed.FailedAt, out var attemptStarted))
        {
            return false;
        }

        if (job.Status != JobStatus.InProgress)
        {
            return Touched(job, now, attemptStarted);
        }

        End(job, JobStatus.Failed, failed.FailedAt);
        job.ErrorDescription = failed.ErrorDescription;
        job.RecommendedAction = failed.RecommendedAction;
        job.FailedStep = failed.FailedStep;
        job.IsRestartable = failed.IsRestartable;
        if (failed.FailedStep is { } failedStep)
        {
            Advance(FindStep(job, failedStep, out _), JobStepStatus.Fail, detail: null);
        }

        return Touched(job, now, true);
    }

    public static bool Apply(JobState job, JobCanceled canceled, DateTimeOffset now)
    {
        if (!EnterAttempt(job, canceled.Attempt, canceled.CanceledAt, out var attemptStarted))
        {
            return false;
        }

        if (job.Status != JobStatus.InProgress)
        {
            return Touched(job, now, attemptStarted);
        }

        End(job, JobStatus.Canceled, canceled.CanceledAt);
        job.ErrorDescription = canceled.Reason;
        return Touched(job, now, true);
    }

    /// <summary>The order of a step's statuses within one attempt; the three outcomes are final and equal.</summary>
    public static int Rank(JobStepStatus status) => status switch
    {
        JobStepStatus.NotStarted => 0,
        JobStepStatus.Inprogress => 1,
        _ => 2,
    };

    /// <summary>
    /// Rule (d): false for an event of an older attempt (ignore it); an event of a newer attempt starts it.
    /// The very first event of a job opens it with that event's attempt and time.
    /// </summary>
    private static bool EnterAttempt(JobState job, int attempt, DateTimeOffset occurredAt, out bool started)
    {
        started = false;
        if (job.Attempt == 0)
        {
            job.Attempt = attempt;
            job.InitiatedAt = occurredAt.ToUniversalTime();
            started = true;
            return true;
        }

        if (attempt < job.Attempt)
        {
            return false;
        }

        if (attempt > job.Attempt)
        {
            StartAttempt(job, attempt);
            started = true;
        }

        return true;
    }

    /// <summary>A new run resumes at the failed step: that step and the ones after it are to be done again.</summary>
    private static void StartAttempt(JobState job, int attempt)
    {
        var from = job.FailedStep is null ? -1 : job.ProgressInfo.FindIndex(step => step.Name == job.FailedStep);
        // Without a known failed step the owner starts from the beginning (JobRestartRequested.FromStep null).
        for (var i = Math.Max(from, 0); i < job.ProgressInfo.Count; i++)
        {
            job.ProgressInfo[i].Status = JobStepStatus.NotStarted;
            job.ProgressInfo[i].Detail = null;
        }

        job.Attempt = attempt;
        job.Status = JobStatus.InProgress;
        job.ErrorDescription = null;
        job.RecommendedAction = null;
        job.FailedStep = null;
        job.IsRestartable = false;
        job.IsCancelable = false;
        job.CancelableReported = false;
        job.CancelRequested = false;
        job.CompletedAt = null;
    }

    private static void End(JobState job, JobStatus status, DateTimeOffset at)
    {
        job.Status = status;
        job.CompletedAt = at.ToUniversalTime();
        job.IsCancelable = false;
        job.CancelRequested = false;
    }

    /// <summary>Rule (b): a step moves only to a higher rank; a lower or equal one (and its detail) is ignored.</summary>
    private static bool Advance(JobStep step, JobStepStatus status, string? detail)
    {
        if (Rank(status) <= Rank(step.Status))
        {
            return false;
        }

        step.Status = status;
        step.Detail = detail;
        return true;
    }

    /// <summary>The named step; a step not (yet) listed is appended, since its JobCreated may still be on the way.</summary>
    private static JobStep FindStep(JobState job, string name, out bool appended)
    {
        var step = job.ProgressInfo.Find(candidate => candidate.Name == name);
        appended = step is null;
        if (step is null)
        {
            step = new JobStep { Name = name, Status = JobStepStatus.NotStarted };
            job.ProgressInfo.Add(step);
        }

        return step;
    }

    /// <summary>The listed steps in their order, keeping progress already recorded; unlisted recorded steps follow.</summary>
    private static List<JobStep> MergeSteps(IReadOnlyList<string> listed, List<JobStep> recorded)
    {
        var merged = listed.Distinct(StringComparer.Ordinal)
            .Select(name => recorded.Find(step => step.Name == name) ?? new JobStep { Name = name, Status = JobStepStatus.NotStarted })
            .ToList();
        merged.AddRange(recorded.Where(step => !merged.Contains(step)));
        return merged;
    }

    private static bool Touched(JobState job, DateTimeOffset now, bool changed)
    {
        if (changed)
        {
            job.LastUpdatedAt = now.ToUniversalTime();
        }

        return changed;
    }
}
