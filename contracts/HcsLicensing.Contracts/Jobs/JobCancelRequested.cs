namespace HcsLicensing.Contracts.Jobs;

/// <summary>JobTracker accepted a cancel request: the job's owner stops and publishes <see cref="JobCanceled"/>.</summary>
public sealed record JobCancelRequested
{
    /// <summary>The job.</summary>
    public required Guid JobId { get; init; }

    /// <summary>The run being cancelled.</summary>
    public required int Attempt { get; init; }

    /// <summary>Who asked (optional).</summary>
    public string? RequestedBy { get; init; }
}
