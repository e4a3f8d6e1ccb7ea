namespace HcsLicensing.JobTracker.Jobs;

/// <summary>A job as HCM-F's JobDTO shows it, with the Jobs page's words for statuses.</summary>
public sealed record JobDto(
    Guid JobId,
    string JobType,
    string EntityType,
    string EntityName,
    string Description,
    string Status,
    IReadOnlyList<JobStepDto> ProgressInfo,
    IReadOnlyList<string> StatusInformation,
    string? ErrorDescription,
    string? FailedStep,
    string? RecommendedAction,
    bool IsRestartable,
    bool IsCancelable,
    bool CancelRequested,
    int Attempt,
    DateTimeOffset InitiatedAt,
    DateTimeOffset? CompletedAt,
    DateTimeOffset LastUpdatedAt,
    string? RequestedBy,
    string? RestartedBy,
    string? CancelRequestedBy,
    string? TraceId)
{
    public static JobDto From(JobState job) => new(
        job.CorrelationId,
        job.JobType,
        job.EntityType,
        job.EntityName,
        job.Description,
        JobDisplayNames.Of(job.Status),
        [.. job.ProgressInfo.Select(step => new JobStepDto(step.Name, JobDisplayNames.Of(step.Status), step.Detail))],
        // The Jobs page's "Status Information": one line per step.
        [.. job.ProgressInfo.Select(step => $"{step.Name} - {JobDisplayNames.Of(step.Status)}")],
        job.ErrorDescription,
        job.FailedStep,
        job.RecommendedAction,
        job.IsRestartable,
        job.IsCancelable,
        job.CancelRequested,
        job.Attempt,
        job.InitiatedAt,
        job.CompletedAt,
        job.LastUpdatedAt,
        job.RequestedBy,
        job.RestartedBy,
        job.CancelRequestedBy,
        job.TraceId);
}

/// <summary>One entry of progressInfo: e.g. { step: "Verification", status: "Pass" }.</summary>
public sealed record JobStepDto(string Step, string Status, string? Detail);

/// <summary>A page of GET /jobs, newest first.</summary>
public sealed record JobPageDto(IReadOnlyList<JobDto> Items, int Page, int PageSize, int TotalCount);

/// <summary>The answer to an accepted restart or cancel: the command is on its way; the job shows the outcome.</summary>
public sealed record JobCommandAcceptedDto(Guid JobId, string Command);
