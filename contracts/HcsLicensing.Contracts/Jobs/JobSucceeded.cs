namespace HcsLicensing.Contracts.Jobs;

/// <summary>The job's operation ended well.</summary>
public sealed record JobSucceeded
{
    /// <summary>The job.</summary>
    public required Guid JobId { get; init; }

    /// <summary>The run of the job this belongs to: 1, then one more for each restart.</summary>
    public int Attempt { get; init; } = 1;

    /// <summary>The job's final description, e.g. "Assignment of Cluster cl1-alfa to HCS-DEMO completed"; null keeps the current one.</summary>
    public string? Description { get; init; }

    /// <summary>When it ended.</summary>
    public required DateTimeOffset CompletedAt { get; init; }
}
