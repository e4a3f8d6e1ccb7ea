namespace HcsLicensing.Contracts.Jobs;

/// <summary>The job's owner stopped the operation after a cancel request.</summary>
public sealed record JobCanceled
{
    /// <summary>The job.</summary>
    public required Guid JobId { get; init; }

    /// <summary>The run of the job this belongs to: 1, then one more for each restart.</summary>
    public int Attempt { get; init; } = 1;

    /// <summary>Who asked for it or why (optional).</summary>
    public string? Reason { get; init; }

    /// <summary>When the operation stopped.</summary>
    public required DateTimeOffset CanceledAt { get; init; }
}
