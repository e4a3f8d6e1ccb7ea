namespace HcsLicensing.Contracts.Jobs;

/// <summary>A step of a job moved, e.g. Verification to Inprogress, then to Pass.</summary>
public sealed record JobStepChanged
{
    /// <summary>The job.</summary>
    public required Guid JobId { get; init; }

    /// <summary>The run of the job this belongs to: 1, then one more for each restart.</summary>
    public int Attempt { get; init; } = 1;

    /// <summary>The step's name as listed in <see cref="JobCreated.Steps"/>.</summary>
    public required string Step { get; init; }

    /// <summary>The step's new status.</summary>
    public required JobStepStatus Status { get; init; }

    /// <summary>What happened, for the operator (optional).</summary>
    public string? Detail { get; init; }

    /// <summary>Whether an operator may cancel the job from now on; null leaves it as it was.</summary>
    public bool? IsCancelable { get; init; }

    /// <summary>When the step changed.</summary>
    public required DateTimeOffset OccurredAt { get; init; }
}
