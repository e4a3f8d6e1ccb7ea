namespace HcsLicensing.Contracts.Jobs;

/// <summary>
/// An operator asks to run a failed, restartable job again. JobTracker accepts it only for such a job
/// and then publishes <see cref="JobRestartRequested"/> for the job's owner; otherwise <see cref="JobCommandRejected"/>.
/// </summary>
public sealed record RestartJob
{
    /// <summary>The job.</summary>
    public required Guid JobId { get; init; }

    /// <summary>Who asks (optional, for the record).</summary>
    public string? RequestedBy { get; init; }
}
