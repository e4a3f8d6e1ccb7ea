namespace HcsLicensing.Contracts.Jobs;

/// <summary>
/// An operator asks to stop a job in progress. JobTracker accepts it only while the job is cancelable and
/// then publishes <see cref="JobCancelRequested"/> for the job's owner, which answers with <see cref="JobCanceled"/>.
/// </summary>
public sealed record CancelJob
{
    /// <summary>The job.</summary>
    public required Guid JobId { get; init; }

    /// <summary>Who asks (optional, for the record).</summary>
    public string? RequestedBy { get; init; }
}
