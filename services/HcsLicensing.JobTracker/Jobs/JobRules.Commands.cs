using HcsLicensing.Contracts.Jobs;

namespace HcsLicensing.JobTracker.Jobs;

/// <summary>
/// Rule (e): an operator's RestartJob or CancelJob. The HTTP API asks <see cref="WhyNotRestartable"/> and
/// <see cref="WhyNotCancelable"/> to answer 409 at once; the saga decides again when the command arrives.
/// </summary>
public static partial class JobRules
{
    /// <summary>Why <paramref name="job"/> cannot be restarted now, or null when it can.</summary>
    public static string? WhyNotRestartable(JobState job) => job switch
    {
        { Status: not JobStatus.Failed } => $"job is {JobDisplayNames.Of(job.Status)}; only a Failed, restartable job can be restarted",
        { IsRestartable: false } => "job is Failed and not restartable; follow its recommended action instead",
        _ => null,
    };

    /// <summary>Why <paramref name="job"/> cannot be canceled now, or null when it can.</summary>
    public static string? WhyNotCancelable(JobState job) => job switch
    {
        { Status: not JobStatus.InProgress } => $"job is {JobDisplayNames.Of(job.Status)}; only a job In Progress can be canceled",
        { IsCancelable: false } => "job is In Progress but cannot be canceled at its current step",
        _ => null,
    };

    /// <summary>RestartJob: a Failed, restartable job starts its next attempt, resuming at the failed step.</summary>
    public static CommandDecision Restart(JobState job, DateTimeOffset now, string? requestedBy = null)
    {
        if (WhyNotRestartable(job) is { } reason)
        {
            return CommandDecision.Reject(reason);
        }

        var fromStep = job.FailedStep;
        StartAttempt(job, job.Attempt + 1);
        job.RestartedBy = requestedBy;
        Touched(job, now, true);
        return CommandDecision.Accept(fromStep);
    }

    /// <summary>CancelJob: records the request; the job ends only when its owner publishes JobCanceled.</summary>
    public static CommandDecision Cancel(JobState job, DateTimeOffset now, string? requestedBy = null)
    {
        if (WhyNotCancelable(job) is { } reason)
        {
            return CommandDecision.Reject(reason);
        }

        // A repeated cancel is accepted again (the owner may have missed the first request).
        job.CancelRequested = true;
        job.CancelRequestedBy = requestedBy;
        Touched(job, now, true);
        return CommandDecision.Accept(fromStep: null);
    }
}
