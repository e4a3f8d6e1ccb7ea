namespace HcsLicensing.Console.SuiteApis;

/// <summary>JobTracker: the Jobs page's list and detail, restart and cancel.</summary>
public sealed class JobTrackerApi(HttpClient http, OperatorToken token) : SuiteApiClient(http, token)
{
    public Task<ListPage<Job>> ListAsync(string? status, string? entityName, int page = 1, int pageSize = 50, CancellationToken cancellationToken = default) =>
        GetAsync<ListPage<Job>>(Query.Of("jobs", ("status", status), ("entityName", entityName), ("page", page.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("pageSize", pageSize.ToString(System.Globalization.CultureInfo.InvariantCulture))), cancellationToken);

    public Task<Job?> GetAsync(Guid jobId, CancellationToken cancellationToken = default) => GetOrNullAsync<Job>($"jobs/{jobId}", cancellationToken);

    public async Task RestartAsync(Guid jobId, CancellationToken cancellationToken = default) => (await SendAsync(HttpMethod.Post, $"jobs/{jobId}/restart", null, cancellationToken)).Dispose();

    public async Task CancelAsync(Guid jobId, CancellationToken cancellationToken = default) => (await SendAsync(HttpMethod.Post, $"jobs/{jobId}/cancel", null, cancellationToken)).Dispose();

    /// <summary>The audit trail, newest first (GET /audit): <paramref name="filter"/>'s values are passed as given.</summary>
    public Task<ListPage<AuditEntry>> AuditAsync(AuditFilter filter, int page = 1, int pageSize = 100, CancellationToken cancellationToken = default) =>
        GetAsync<ListPage<AuditEntry>>(Query.Of("audit", ("actor", filter.Actor), ("entity", filter.Entity), ("from", filter.From), ("to", filter.To),
            ("page", page.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("pageSize", pageSize.ToString(System.Globalization.CultureInfo.InvariantCulture))), cancellationToken);
}

/// <summary>The Audit page's filters, as typed (JobTracker checks them and names a bad one).</summary>
public sealed record AuditFilter(string? Actor, string? Entity, string? From, string? To);

/// <summary>One act of the audit trail: who did what to which entity, when.</summary>
public sealed record AuditEntry(long Id, DateTimeOffset At, string Actor, string Action, string? Service, string EntityType, string EntityName, string Detail, Guid? JobId);

/// <summary>A job as JobTracker shows it (HCM-F's JobDTO).</summary>
public sealed record Job(
    Guid JobId, string JobType, string EntityType, string EntityName, string Description, string Status,
    IReadOnlyList<JobStep> ProgressInfo, string? ErrorDescription, string? FailedStep, string? RecommendedAction,
    bool IsRestartable, bool IsCancelable, bool CancelRequested, int Attempt,
    DateTimeOffset InitiatedAt, DateTimeOffset? CompletedAt, DateTimeOffset LastUpdatedAt,
    string? RequestedBy = null, string? RestartedBy = null, string? CancelRequestedBy = null, string? TraceId = null)
{
    /// <summary>Succeeded, Failed and Canceled are final (until a restart).</summary>
    public bool HasEnded => Status is "Succeeded" or "Failed" or "Canceled";
}

/// <summary>One entry of progressInfo: Verification - Pass.</summary>
public sealed record JobStep(string Step, string Status, string? Detail);

/// <summary>A page of a list API.</summary>
public sealed record ListPage<T>(IReadOnlyList<T> Items, int Page, int PageSize, int TotalCount);
