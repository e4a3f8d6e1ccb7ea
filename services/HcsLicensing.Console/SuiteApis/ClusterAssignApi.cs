namespace HcsLicensing.Console.SuiteApis;

/// <summary>ClusterAssign: the Cluster Summary and the three operations (each one job), and batches.</summary>
public sealed class ClusterAssignApi(HttpClient http, OperatorToken token) : SuiteApiClient(http, token)
{
    public Task<ListPage<ClusterSummary>> SummaryAsync(int page, CancellationToken cancellationToken = default) =>
        GetAsync<ListPage<ClusterSummary>>($"clusters?page={page}&pageSize=500", cancellationToken);

    public Task<OperationAccepted> AssignAsync(string cluster, string domain, string virtualAccount, CancellationToken cancellationToken = default) =>
        SendAsync<OperationAccepted>(HttpMethod.Post, $"clusters/{Query.Segment(cluster)}/assignment", new { smartAccountDomain = domain, virtualAccount }, cancellationToken);

    public Task<OperationAccepted> ReassignAsync(string cluster, string domain, string virtualAccount, CancellationToken cancellationToken = default) =>
        SendAsync<OperationAccepted>(HttpMethod.Post, $"clusters/{Query.Segment(cluster)}/reassignment", new { smartAccountDomain = domain, virtualAccount }, cancellationToken);

    public Task<OperationAccepted> UnassignAsync(string cluster, CancellationToken cancellationToken = default) =>
        SendAsync<OperationAccepted>(HttpMethod.Post, $"clusters/{Query.Segment(cluster)}/unassignment", new { }, cancellationToken);

    /// <summary>One job per cluster, at most <paramref name="concurrency"/> running at once (ClusterAssign runs the lanes).</summary>
    public Task<BatchAccepted> AssignBatchAsync(string domain, string virtualAccount, IReadOnlyList<string> clusters, int concurrency, CancellationToken cancellationToken = default) =>
        SendAsync<BatchAccepted>(HttpMethod.Post, $"virtual-accounts/{Query.Segment(domain)}/{Query.Segment(virtualAccount)}/clusters", new { clusters, concurrency }, cancellationToken);
}

/// <summary>A line of the Cluster Summary.</summary>
public sealed record ClusterSummary(
    string Name, string? Type, string? Version, string? SmartAccountDomain, string? VirtualAccount, string? RegistrationState,
    bool OperationRunning, string? CurrentStep, LastJob? LastJob);

/// <summary>A cluster's last job.</summary>
public sealed record LastJob(Guid JobId, string? Operation, string? Status, DateTimeOffset? UpdatedAt);

/// <summary>202 to an operation: the job to follow.</summary>
public sealed record OperationAccepted(Guid JobId, string ClusterName, string Operation, bool Verified, bool Duplicate, string? Description);

/// <summary>202 to a batch: one job per cluster.</summary>
public sealed record BatchAccepted(string RequestId, int Concurrency, IReadOnlyList<BatchJob> Jobs);

public sealed record BatchJob(string ClusterName, Guid JobId);
