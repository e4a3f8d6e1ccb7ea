using HcsLicensing.ServiceDefaults.Security;
using HcsLicensing.ClusterAssign.Data;
using HcsLicensing.ClusterAssign.Operations;
using HcsLicensing.ServiceDefaults.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace HcsLicensing.ClusterAssign.Summary;

/// <summary>HCM-F's Cluster Summary: every cluster an operation has touched, as last verified, with its last job.</summary>
public static class ClusterSummaryApi
{
    public static IEndpointRouteBuilder MapClusterSummaryApi(this IEndpointRouteBuilder endpoints)
    {
        var clusters = endpoints.MapGroup("/clusters").WithTags("Cluster summary").RequirePermission(HcsPermissions.Read);
        clusters.MapGet("/", List);
        clusters.MapGet("/{clusterName}", Get);
        return endpoints;
    }

    private static async Task<Results<Ok<ClusterSummaryPage>, ValidationProblem>> List(
        ClusterAssignDbContext db, JobLinks links, string? smartAccountDomain, string? virtualAccount, string? page, string? pageSize, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var paging = Paging.Read(page, pageSize, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var query = db.ClusterOperations.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(smartAccountDomain))
        {
            query = query.Where(c => c.SmartAccountDomain == smartAccountDomain);
        }

        if (!string.IsNullOrWhiteSpace(virtualAccount))
        {
            query = query.Where(c => c.VirtualAccountName == virtualAccount);
        }

        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderBy(c => c.ClusterName).Skip(paging.Skip).Take(paging.PageSize).ToListAsync(cancellationToken);
        return TypedResults.Ok(new ClusterSummaryPage(rows.Select(r => ClusterSummary.From(r, links)).ToList(), paging.Page, paging.PageSize, total));
    }

    private static async Task<Results<Ok<ClusterSummary>, ProblemHttpResult>> Get(string clusterName, ClusterAssignDbContext db, JobLinks links, CancellationToken cancellationToken)
    {
        var id = ClusterKeys.ForCluster(clusterName);
        var row = await db.ClusterOperations.AsNoTracking().SingleOrDefaultAsync(c => c.CorrelationId == id, cancellationToken);
        return row is null
            ? TypedResults.Problem($"no operation has run on cluster {clusterName}; CHPA's GET /clusters lists the inventory", statusCode: StatusCodes.Status404NotFound, title: "Cluster not found")
            : TypedResults.Ok(ClusterSummary.From(row, links));
    }
}

/// <summary>One line of the Cluster Summary.</summary>
public sealed record ClusterSummary(
    string Name, string? Type, string? Version, string? SmartAccountDomain, string? VirtualAccount, string? RegistrationState,
    bool OperationRunning, string? CurrentStep, LastJob? LastJob)
{
    public static ClusterSummary From(ClusterOperationState s, JobLinks links) => new(
        s.ClusterName,
        s.ApplicationType?.ToString(),
        s.Version,
        s.SmartAccountDomain,
        s.VirtualAccountName,
        s.RegistrationState?.ToString(),
        s.IsRunning,
        s.IsRunning ? s.CurrentStep : null,
        s.LastJobId is { } job ? new LastJob(job, links.For(job), s.LastOperation?.ToString(), s.LastJobStatus?.ToString(), s.UpdatedAt) : null);
}

/// <summary>The cluster's last job.</summary>
public sealed record LastJob(Guid JobId, string JobUrl, string? Operation, string? Status, DateTimeOffset? UpdatedAt);

/// <summary>A page of the Cluster Summary, by cluster name.</summary>
public sealed record ClusterSummaryPage(IReadOnlyList<ClusterSummary> Items, int Page, int PageSize, int TotalCount);
