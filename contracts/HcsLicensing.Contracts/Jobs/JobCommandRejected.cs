namespace HcsLicensing.Contracts.Jobs;

/// <summary>JobTracker refused a <see cref="RestartJob"/> or <see cref="CancelJob"/>, with the reason.</summary>
public sealed record JobCommandRejected
{
    /// <summary>The job.</summary>
    public required Guid JobId { get; init; }

    /// <summary>"RestartJob" or "CancelJob".</summary>
    public required string Command { get; init; }

    /// <summary>Why, e.g. "job is Succeeded; only a Failed, restartable job can be restarted".</summary>
    public required string Reason { get; init; }
}
