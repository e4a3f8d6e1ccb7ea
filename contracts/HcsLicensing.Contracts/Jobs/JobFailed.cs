namespace HcsLicensing.Contracts.Jobs;

/// <summary>The job's operation failed: what failed, why, and what the operator should do.</summary>
public sealed record JobFailed
{
    /// <summary>The job.</summary>
    public required Guid JobId { get; init; }

    /// <summary>The run of the job this belongs to: 1, then one more for each restart.</summary>
    public int Attempt { get; init; } = 1;

    /// <summary>The step that failed, if a step did.</summary>
    public string? FailedStep { get; init; }

    /// <summary>What went wrong, in words an operator understands.</summary>
    public required string ErrorDescription { get; init; }

    /// <summary>What to do about it, e.g. "Check the cluster's platform credentials, then restart the job".</summary>
    public required string RecommendedAction { get; init; }

    /// <summary>Whether restarting the job can help (it resumes at the failed step).</summary>
    public bool IsRestartable { get; init; }

    /// <summary>When it failed.</summary>
    public required DateTimeOffset FailedAt { get; init; }
}
