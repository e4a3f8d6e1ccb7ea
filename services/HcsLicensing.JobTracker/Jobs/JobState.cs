using HcsLicensing.Contracts.Jobs;
using MassTransit;

namespace HcsLicensing.JobTracker.Jobs;

/// <summary>
/// A job as HCM-F's Jobs page shows it (its JobDTO), kept by <see cref="JobStateMachine"/>. Jobs are history:
/// an instance is never finalized, and deleted only by retention long after it ended (<see cref="Data.JobRetention"/>).
/// Every change goes through <see cref="JobRules"/>.
/// </summary>
public sealed class JobState : SagaStateMachineInstance
{
    /// <summary>The job id.</summary>
    public Guid CorrelationId { get; set; }

    /// <summary>The state machine's state: InProgress, Succeeded, Failed or Canceled (mirrors <see cref="Status"/>).</summary>
    public string CurrentState { get; set; } = "";

    public string JobType { get; set; } = JobRules.DefaultJobType;

    public string EntityType { get; set; } = JobRules.DefaultEntityType;

    public string EntityName { get; set; } = JobRules.PlaceholderEntityName;

    public string Description { get; set; } = JobRules.PlaceholderDescription;

    /// <summary>Who asked for the job (JobCreated's RequestedBy): a caller's identity, or what started it ("Periodic").</summary>
    public string? RequestedBy { get; set; }

    /// <summary>Who restarted the job last (the accepted RestartJob's RequestedBy).</summary>
    public string? RestartedBy { get; set; }

    /// <summary>Who asked to cancel the job last (the accepted CancelJob's RequestedBy).</summary>
    public string? CancelRequestedBy { get; set; }

    /// <summary>
    /// The W3C trace id of the first event JobTracker applied (32 hex digits): the owner's trace travels with its
    /// messages, so it is the trace of the request that started the job. Null when no trace was recorded.
    /// </summary>
    public string? TraceId { get; set; }

    /// <summary>Whether JobCreated arrived; until then type, entity and description are placeholders.</summary>
    public bool DetailsReceived { get; set; }

    public JobStatus Status { get; set; }

    /// <summary>The steps in the order they run (jsonb).</summary>
    public List<JobStep> ProgressInfo { get; set; } = [];

    public string? ErrorDescription { get; set; }

    public string? FailedStep { get; set; }

    public string? RecommendedAction { get; set; }

    public bool IsRestartable { get; set; }

    public bool IsCancelable { get; set; }

    /// <summary>Whether a step event of this attempt said if the job is cancelable, so a late JobCreated must not.</summary>
    public bool CancelableReported { get; set; }

    /// <summary>Whether an operator's cancel was accepted and the owner has not ended the job yet.</summary>
    public bool CancelRequested { get; set; }

    /// <summary>The current run: 1, then one more per restart; 0 only before the first event is applied.</summary>
    public int Attempt { get; set; }

    public DateTimeOffset InitiatedAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>When JobTracker last changed the job (its own clock).</summary>
    public DateTimeOffset LastUpdatedAt { get; set; }
}
