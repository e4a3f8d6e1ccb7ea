namespace HcsLicensing.Console.SuiteApis;

/// <summary>ClusterAssign: the Cluster Summary and the three operations (each one job), batches, and the license audit's findings.</summary>
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

    /// <summary>License audit findings (GET /findings): critical first, then the most recently seen.</summary>
    public Task<ListPage<Finding>> FindingsAsync(FindingFilter filter, int page = 1, int pageSize = 100, CancellationToken cancellationToken = default) =>
        GetAsync<ListPage<Finding>>(Query.Of("findings", ("type", filter.Type), ("severity", filter.Severity), ("status", filter.Status),
            ("smartAccountDomain", filter.SmartAccountDomain), ("virtualAccount", filter.VirtualAccount), ("cluster", filter.Cluster),
            ("page", page.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("pageSize", pageSize.ToString(System.Globalization.CultureInfo.InvariantCulture))), cancellationToken);

    /// <summary>Starts a license audit, or joins the running one; either way its job.</summary>
    public Task<AuditAccepted> StartAuditAsync(CancellationToken cancellationToken = default) =>
        SendAsync<AuditAccepted>(HttpMethod.Post, "audits", new { }, cancellationToken);

    /// <summary>The job that repairs the finding; a type without a repair is a 422 problem saying what to do instead.</summary>
    public Task<RepairAccepted> RepairAsync(Guid findingId, CancellationToken cancellationToken = default) =>
        SendAsync<RepairAccepted>(HttpMethod.Post, $"findings/{findingId}/repair", new { }, cancellationToken);

    /// <summary>One job per finding that has a repair, all requested at once; the others listed with why.</summary>
    public Task<BulkRepairAccepted> RepairManyAsync(IReadOnlyList<Guid> findingIds, CancellationToken cancellationToken = default) =>
        SendAsync<BulkRepairAccepted>(HttpMethod.Post, "findings/repair", new { findingIds }, cancellationToken);
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

/// <summary>The license audit's findings page's filters, as typed (ClusterAssign checks them and names a bad one).</summary>
public sealed record FindingFilter(string? Type, string? Severity, string? Status, string? SmartAccountDomain, string? VirtualAccount, string? Cluster);

/// <summary>A license audit finding (docs/audit.md): what differs between the three views of a cluster, with their evidence.</summary>
public sealed record Finding(
    Guid Id, string Type, string Severity, string Status, string ClusterName, string? SmartAccountDomain, string? VirtualAccount, string Summary,
    FindingEvidence? Evidence, DateTimeOffset FirstSeenAt, DateTimeOffset LastSeenAt, DateTimeOffset? ClosedAt, string? Repair, Guid? RepairJobId);

/// <summary>The three views a finding keeps: what we assigned, what CSSM lists, what the cluster says.</summary>
public sealed record FindingEvidence(IntendedEvidence? Intended, IReadOnlyList<CssmEvidence>? Cssm, ClusterEvidence? Cluster)
{
    /// <summary>One line for the table: "assigned HCS-CUST-0001; CSSM: none; cluster: Unregistered".</summary>
    public string Describe()
    {
        var cssm = Cssm is { Count: > 0 } ? string.Join(", ", Cssm.Select(i => i.VirtualAccount)) : "none";
        var cluster = Cluster switch
        {
            null => "not read",
            { Answered: false } => "no answer",
            { RegistrationState: { } state } => $"{state}{(Cluster.VirtualAccount is { } va ? " in " + va : "")}{(Cluster.AuthorizationState is { } auth ? ", " + auth : "")}",
            _ => Cluster.Description ?? "unknown",
        };
        return $"assigned: {Intended?.VirtualAccount ?? "none"}; CSSM: {cssm}; cluster: {cluster}";
    }
}

public sealed record IntendedEvidence(string SmartAccountDomain, string VirtualAccount);

public sealed record CssmEvidence(string SmartAccountDomain, string VirtualAccount, string ProductInstanceId, DateTimeOffset? LastContactAt);

public sealed record ClusterEvidence(bool Answered, string? Description, string? RegistrationState, string? AuthorizationState, string? SmartAccountDomain, string? VirtualAccount);

/// <summary>202 to POST /audits: the audit's job (the same id), or the running audit's when one was running (Joined).</summary>
public sealed record AuditAccepted(Guid AuditId, Guid JobId, bool Joined);

/// <summary>202 to a repair: the ordinary ClusterAssign job that fixes the finding.</summary>
public sealed record RepairAccepted(Guid FindingId, Guid JobId, string Operation, string? VirtualAccount, string? Description);

/// <summary>A finding a bulk repair did not start, with the status the single repair would answer (404, 409, 422) and why.</summary>
public sealed record RepairRefused(Guid FindingId, int Status, string Reason);

/// <summary>202 to a bulk repair.</summary>
public sealed record BulkRepairAccepted(IReadOnlyList<RepairAccepted> Jobs, IReadOnlyList<RepairRefused> Refused);
