namespace HcsLicensing.Contracts.Jobs;

/// <summary>
/// Several events of one job that happened together, as one message: what one transition of the job's owner did,
/// e.g. Verification Pass and License Mode Change Inprogress, or Registration Pass and the job's success. JobTracker
/// applies them in this order (created, steps, end), by the same rules as if each had come alone. An owner whose
/// transition changes a job more than once sends this instead of the separate events: one delivery and one commit,
/// and the parts can no longer overtake each other on the way.
/// </summary>
public sealed record JobProgressed
{
    /// <summary>The job; every part carries the same id.</summary>
    public required Guid JobId { get; init; }

    /// <summary>The job's start, when this transition started it.</summary>
    public JobCreated? Created { get; init; }

    /// <summary>The steps that changed, in the order they changed.</summary>
    public IReadOnlyList<JobStepChanged> Steps { get; init; } = [];

    /// <summary>The job's end, when this transition ended it well.</summary>
    public JobSucceeded? Succeeded { get; init; }

    /// <summary>The job's end, when this transition failed it.</summary>
    public JobFailed? Failed { get; init; }

    /// <summary>The job's end, when this transition canceled it.</summary>
    public JobCanceled? Canceled { get; init; }
}
