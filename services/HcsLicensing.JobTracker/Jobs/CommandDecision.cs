namespace HcsLicensing.JobTracker.Jobs;

/// <summary>Whether JobTracker accepts an operator's RestartJob or CancelJob, and if not, why.</summary>
public sealed record CommandDecision(bool Accepted, string? Reason, string? FromStep)
{
    public static CommandDecision Accept(string? fromStep) => new(true, null, fromStep);

    public static CommandDecision Reject(string reason) => new(false, reason, null);
}
