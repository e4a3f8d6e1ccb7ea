using HcsLicensing.Contracts.Jobs;

namespace HcsLicensing.JobTracker.Jobs;

public static partial class JobRules
{
    /// <summary>
    /// Several events of one transition (<see cref="JobProgressed"/>): each part by its own rule, in the order
    /// created, steps, end, as if they had come one by one in that order. Changed when any part changed the job.
    /// </summary>
    public static bool Apply(JobState job, JobProgressed progressed, DateTimeOffset now)
    {
        var changed = progressed.Created is { } created && Apply(job, created, now);
        foreach (var step in progressed.Steps)
        {
            changed |= Apply(job, step, now);
        }

        changed |= progressed.Succeeded is { } succeeded && Apply(job, succeeded, now);
        changed |= progressed.Failed is { } failed && Apply(job, failed, now);
        changed |= progressed.Canceled is { } canceled && Apply(job, canceled, now);
        return changed;
    }

    /// <summary>When the transition happened: its latest part's time (its parts share one in practice).</summary>
    public static DateTimeOffset OccurredAt(JobProgressed progressed) =>
        new[]
        {
            progressed.Created?.InitiatedAt, progressed.Succeeded?.CompletedAt, progressed.Failed?.FailedAt, progressed.Canceled?.CanceledAt,
        }
        .Concat(progressed.Steps.Select(step => (DateTimeOffset?)step.OccurredAt))
        .Max() ?? DateTimeOffset.MinValue;

    /// <summary>The most step changes one JobProgressed may carry: a transition changes a handful; a job lists a dozen steps.</summary>
    public const int MaxStepChanges = 64;

    /// <summary>
    /// Why a JobProgressed cannot be applied (a part of another job, or more step changes than any transition makes),
    /// or null: such a message is refused whole.
    /// </summary>
    public static string? Problem(JobProgressed progressed)
    {
        if (progressed.Steps.Count > MaxStepChanges)
        {
            return $"steps: more than {MaxStepChanges} step changes in one JobProgressed";
        }

        var ids = new[] { progressed.Created?.JobId, progressed.Succeeded?.JobId, progressed.Failed?.JobId, progressed.Canceled?.JobId }
            .Concat(progressed.Steps.Select(step => (Guid?)step.JobId));
        return ids.Any(id => id is { } other && other != progressed.JobId) ? $"jobId: a part of the JobProgressed of job {progressed.JobId} names another job" : null;
    }
}
