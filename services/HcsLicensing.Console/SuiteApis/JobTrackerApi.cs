namespace HcsLicensing.Console.SuiteApis;

/// <summary>JobTracker: the Jobs page's list and detail, restart and cancel.</summary>
public sealed class JobTrackerApi(HttpClient http, OperatorToken token) : SuiteApiClient(http, token)
{
    public Task<ListPage<Job>> ListAsync(string? status, string? entityName, int page = 1, int pageSize = 50, CancellationToken cancellationToken = default) =>
        GetAsync<ListPage<Job>>(Query.Of("jobs", ("status", status), ("entityName", entityName), ("page", page.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("pageSize", pageSize.ToString(System.Globalization.CultureInfo.InvariantCulture))), cancellationToken);

    public Task<Job?> GetAsync(Guid jobId, CancellationToken cancellationToken = default) => GetOrNullAsync<Job>($"jobs/{jobId}", cancellationToken);

    public async Task RestartAsync(Guid jobId, CancellationToken cancellationToken = default) => (await SendAsync(HttpMethod.Post, $"jobs/{jobId}/restart", null, cancellationToken)).Dispose();

    public async Task CancelAsync(Guid jobId, CancellationToken cancellationToken = default) => (await SendAsync(HttpMethod.Post, $"jobs/{jobId}/cancel", null, cancellationToken)).Dispose();
}

/// <summary>A job as JobTracker shows it (HCM-F's JobDTO).</summary>
public sealed record Job(
    Guid JobId, string JobType, string EntityType, string EntityName, string Description, string Status,
    IReadOnlyList<JobStep> ProgressInfo, string? ErrorDescription, string? FailedStep, string? RecommendedAction,
    bool IsRestartable, bool IsCancelable, bool CancelRequested, int Attempt,
    DateTimeOffset InitiatedAt, DateTimeOffset? CompletedAt, DateTimeOffset LastUpdatedAt)
{
    /// <summary>Succeeded, Failed and Canceled are final (until a restart).</summary>
    public bool HasEnded => Status is "Succeeded" or "Failed" or "Canceled";
}

/// <summary>One entry of progressInfo: Verification - Pass.</summary>
public sealed record JobStep(string Step, string Status, string? Detail);

/// <summary>A page of a list API.</summary>
public sealed record ListPage<T>(IReadOnlyList<T> Items, int Page, int PageSize, int TotalCount);
