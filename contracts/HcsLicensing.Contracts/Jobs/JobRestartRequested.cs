namespace HcsLicensing.Contracts.Jobs;

/// <summary>JobTracker accepted a restart: the job's owner runs it again from <see cref="FromStep"/>, reporting as <see cref="Attempt"/>.</summary>
public sealed record JobRestartRequested
{
    /// <summary>The job.</summary>
    public required Guid JobId { get; init; }

    /// <summary>The new run's number; the owner puts it on every event of that run.</summary>
    public required int Attempt { get; init; }

    /// <summary>The step that failed, where the new run resumes (null: from the start).</summary>
    public string? FromStep { get; init; }

    /// <summary>Who asked (optional).</summary>
    public string? RequestedBy { get; init; }
}
