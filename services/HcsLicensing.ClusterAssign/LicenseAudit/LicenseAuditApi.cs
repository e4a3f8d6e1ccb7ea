using System.Text.Json;
using HcsLicensing.ClusterAssign.Data;
using HcsLicensing.ClusterAssign.Operations;
using HcsLicensing.Contracts.LicenseAudit;
using HcsLicensing.ServiceDefaults.Http;
using HcsLicensing.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace HcsLicensing.ClusterAssign.LicenseAudit;

/// <summary>The license audit's HTTP API: start an audit, read audits and findings, repair a finding (docs/audit.md).</summary>
public static class LicenseAuditApi
{
    public static IEndpointRouteBuilder MapLicenseAuditApi(this IEndpointRouteBuilder endpoints)
    {
        var audits = endpoints.MapGroup("/audits").WithTags("License audit");
        audits.MapPost("/", StartAudit).RequirePermission(HcsPermissions.Operate);
        audits.MapGet("/{auditId:guid}", GetAudit).RequirePermission(HcsPermissions.Read);

        var findings = endpoints.MapGroup("/findings").WithTags("License audit");
        findings.MapGet("/", ListFindings).RequirePermission(HcsPermissions.Read);
        findings.MapGet("/{findingId:guid}", GetFinding).RequirePermission(HcsPermissions.Read);
        findings.MapPost("/{findingId:guid}/repair", Repair).RequirePermission(HcsPermissions.Operate);
        findings.MapPost("/repair", RepairMany).RequirePermission(HcsPermissions.Operate);
        return endpoints;
    }

    /// <summary>Starts an audit, or answers with the running one (joined: true); 202 with its job either way.</summary>
    private static async Task<Accepted<AuditAccepted>> StartAudit(HttpContext http, LicenseAuditClaim claim, JobLinks links, CancellationToken cancellationToken)
    {
        var claimed = await claim.RequestAsync(CallerIdentity.Of(http.User) ?? "HTTP", cancellationToken);
        var url = links.For(claimed.AuditId);
        return TypedResults.Accepted(url, new AuditAccepted(claimed.AuditId, claimed.AuditId, url, claimed.Joined));
    }

    private static async Task<Results<Ok<LicenseAuditRun>, ProblemHttpResult>> GetAudit(Guid auditId, ClusterAssignDbContext db, CancellationToken cancellationToken) =>
        await db.LicenseAuditRuns.AsNoTracking().SingleOrDefaultAsync(r => r.Id == auditId, cancellationToken) is { } run
            ? TypedResults.Ok(run)
            : TypedResults.Problem($"no license audit {auditId}", statusCode: StatusCodes.Status404NotFound, title: "License audit not found");

    private static async Task<Results<Ok<FindingPage>, ValidationProblem>> ListFindings(
        ClusterAssignDbContext db, string? type, string? severity, string? status, string? smartAccountDomain, string? virtualAccount, string? cluster,
        string? page, string? pageSize, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var paging = Paging.Read(page, pageSize, errors);
        var types = Parse<LicenseFindingType>(type, "type", errors);
        var severities = Parse<LicenseFindingSeverity>(severity, "severity", errors);
        var state = status?.Trim().ToLowerInvariant() switch
        {
            null or "" or "open" => LicenseFinding.Open,
            "closed" => LicenseFinding.Closed,
            "all" => null,
            _ => Invalid(errors, "status", "must be open, closed or all"),
        };
        foreach (var (value, field) in new[] { (smartAccountDomain, "smartAccountDomain"), (virtualAccount, "virtualAccount"), (cluster, "cluster") })
        {
            if (value?.Length > 256)
            {
                errors[field] = ["must be at most 256 characters"];
            }
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var query = db.LicenseFindings.AsNoTracking();
        query = state is null ? query : query.Where(f => f.Status == state);
        query = types.Count == 0 ? query : query.Where(f => types.Contains(f.Type));
        query = severities.Count == 0 ? query : query.Where(f => severities.Contains(f.Severity));
        query = string.IsNullOrWhiteSpace(smartAccountDomain) ? query : query.Where(f => EF.Functions.ILike(f.SmartAccountDomain!, Exactly(smartAccountDomain)));
        query = string.IsNullOrWhiteSpace(virtualAccount) ? query : query.Where(f => EF.Functions.ILike(f.VirtualAccount!, Exactly(virtualAccount)));
        query = string.IsNullOrWhiteSpace(cluster) ? query : query.Where(f => EF.Functions.ILike(f.ClusterName, Exactly(cluster)));

        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderByDescending(f => f.Severity == LicenseFindingSeverity.Critical).ThenByDescending(f => f.LastSeenAt).ThenBy(f => f.ClusterName).ThenBy(f => f.Id)
            .Skip(paging.Skip).Take(paging.PageSize).ToListAsync(cancellationToken);
        return TypedResults.Ok(new FindingPage([.. rows.Select(FindingView.From)], paging.Page, paging.PageSize, total));
    }

    private static async Task<Results<Ok<FindingView>, ProblemHttpResult>> GetFinding(Guid findingId, ClusterAssignDbContext db, CancellationToken cancellationToken) =>
        await db.LicenseFindings.AsNoTracking().SingleOrDefaultAsync(f => f.Id == findingId, cancellationToken) is { } finding
            ? TypedResults.Ok(FindingView.From(finding))
            : NotFound(findingId);

    /// <summary>
    /// Starts the ordinary ClusterAssign job that fixes the finding (docs/audit.md): re-register to the assigned VA, or
    /// adopt the observed VA as the assigned one. One repair per finding and audit: a repeated request finds the same job.
    /// </summary>
    private static async Task<Results<Accepted<RepairAccepted>, ProblemHttpResult>> Repair(
        Guid findingId, HttpContext http, ClusterAssignDbContext db, LicenseRepairStarter repairs, JobLinks links, CancellationToken cancellationToken)
    {
        if (await db.LicenseFindings.SingleOrDefaultAsync(f => f.Id == findingId, cancellationToken) is not { } finding)
        {
            return NotFound(findingId);
        }

        var started = await repairs.StartAsync(finding, CallerIdentity.Of(http.User), cancellationToken);
        if (started.Repair is not { } repair)
        {
            return TypedResults.Problem(started.Refusal, statusCode: started.Status, title: started.Status == StatusCodes.Status409Conflict ? "Finding closed" : "No repair job for this finding");
        }

        await db.SaveChangesAsync(cancellationToken);
        var url = links.For(started.JobId);
        return TypedResults.Accepted(url, new RepairAccepted(findingId, started.JobId, url, repair.Operation.ToString(), repair.SmartAccountDomain, repair.VirtualAccount, repair.Description));
    }

    /// <summary>
    /// Repairs several findings at once: one job each, all requested in one commit (a 202 means every job will start),
    /// and the findings that have no repair listed with the reason. At most <see cref="BulkRepairLimit"/> findings.
    /// </summary>
    private static async Task<Results<Accepted<BulkRepairAccepted>, ValidationProblem>> RepairMany(
        BulkRepairBody? body, HttpContext http, ClusterAssignDbContext db, LicenseRepairStarter repairs, JobLinks links, CancellationToken cancellationToken)
    {
        var ids = body?.FindingIds ?? [];
        if (ids.Count == 0 || ids.Count > BulkRepairLimit)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["findingIds"] = [$"must name 1 to {BulkRepairLimit} findings"] });
        }

        var wanted = ids.Distinct().ToList();
        var findings = await db.LicenseFindings.Where(f => wanted.Contains(f.Id)).ToDictionaryAsync(f => f.Id, cancellationToken);
        var jobs = new List<RepairAccepted>();
        var refused = new List<RepairRefused>();
        foreach (var id in wanted)
        {
            if (!findings.TryGetValue(id, out var finding))
            {
                refused.Add(new RepairRefused(id, StatusCodes.Status404NotFound, $"no license audit finding {id}"));
                continue;
            }

            var started = await repairs.StartAsync(finding, CallerIdentity.Of(http.User), cancellationToken);
            if (started.Repair is { } repair)
            {
                jobs.Add(new RepairAccepted(id, started.JobId, links.For(started.JobId), repair.Operation.ToString(), repair.SmartAccountDomain, repair.VirtualAccount, repair.Description));
            }
            else
            {
                refused.Add(new RepairRefused(id, started.Status, started.Refusal!));
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Accepted((string?)null, new BulkRepairAccepted(jobs, refused));
    }

    /// <summary>The most findings one bulk repair may name (each is a job).</summary>
    public const int BulkRepairLimit = 1000;

    private static List<T> Parse<T>(string? text, string field, Dictionary<string, string[]> errors)
        where T : struct, Enum
    {
        var values = new List<T>();
        foreach (var part in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (Enum.TryParse<T>(part, ignoreCase: true, out var value) && Enum.IsDefined(value) && !int.TryParse(part, out _))
            {
                values.Add(value);
            }
            else
            {
                errors[field] = [$"must be one or more (comma-separated) of {string.Join(", ", Enum.GetNames<T>())}"];
            }
        }

        return values;
    }

    private static string? Invalid(Dictionary<string, string[]> errors, string field, string reason)
    {
        errors[field] = [reason];
        return null;
    }

    /// <summary>An ILIKE pattern matching the text itself (case aside): its wildcards escaped.</summary>
    private static string Exactly(string text) => text.Trim().Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal);

    private static ProblemHttpResult NotFound(Guid findingId) =>
        TypedResults.Problem($"no license audit finding {findingId}", statusCode: StatusCodes.Status404NotFound, title: "Finding not found");
}

/// <summary>POST /audits' answer: the audit and its job (the same id), and whether it was already running.</summary>
public sealed record AuditAccepted(Guid AuditId, Guid JobId, string JobUrl, bool Joined);

/// <summary>A finding as the API shows it, with its evidence of each view.</summary>
public sealed record FindingView(
    Guid Id, string Type, string Severity, string Status, string ClusterName, string? SmartAccountDomain, string? VirtualAccount, string Summary,
    JsonElement Evidence, DateTimeOffset FirstSeenAt, DateTimeOffset LastSeenAt, DateTimeOffset? ClosedAt, Guid FirstAuditId, Guid LastAuditId,
    string? Repair, Guid? RepairJobId)
{
    public static FindingView From(LicenseFinding f) => new(
        f.Id, f.Type.ToString(), f.Severity.ToString(), f.Status, f.ClusterName, f.SmartAccountDomain, f.VirtualAccount, f.Summary,
        JsonSerializer.Deserialize<JsonElement>(f.Evidence), f.FirstSeenAt, f.LastSeenAt, f.ClosedAt, f.FirstAuditId, f.LastAuditId,
        LicenseRepairs.For(f)?.Description, f.RepairJobId);
}

/// <summary>A page of findings: critical first, then the most recently seen.</summary>
public sealed record FindingPage(IReadOnlyList<FindingView> Items, int Page, int PageSize, int TotalCount);

/// <summary>POST /findings/repair's body.</summary>
public sealed record BulkRepairBody(IReadOnlyList<Guid>? FindingIds);

/// <summary>POST /findings/repair's answer: a job per finding repaired, and the findings that were not, with why.</summary>
public sealed record BulkRepairAccepted(IReadOnlyList<RepairAccepted> Jobs, IReadOnlyList<RepairRefused> Refused);

/// <summary>A finding a bulk repair could not start: its status as the single repair would answer (404, 409, 422) and why.</summary>
public sealed record RepairRefused(Guid FindingId, int Status, string Reason);

/// <summary>POST /findings/{id}/repair's answer: the ClusterAssign job that repairs it.</summary>
public sealed record RepairAccepted(Guid FindingId, Guid JobId, string JobUrl, string Operation, string SmartAccountDomain, string VirtualAccount, string Description);
