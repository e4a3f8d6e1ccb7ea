using System.Globalization;
using HcsLicensing.JobTracker.Data;
using HcsLicensing.ServiceDefaults.Http;
using HcsLicensing.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace HcsLicensing.JobTracker.Audit;

/// <summary>GET /audit: the audit trail, newest first, filtered by actor, entity and time. Errors are RFC 9457 problem details.</summary>
public static class AuditApi
{
    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/audit", List).WithTags("Audit").RequirePermission(HcsPermissions.Read);
        return endpoints;
    }

    /// <summary>
    /// actor: exact (any case); entity: part of the entity's name or type (any case); from/to: ISO 8601 times, from
    /// inclusive, to exclusive; page and pageSize as every list (pageSize up to 500).
    /// </summary>
    private static async Task<Results<Ok<PageDto<AuditEntryDto>>, ValidationProblem>> List(
        string? actor, string? entity, string? from, string? to, string? page, string? pageSize, JobTrackerDbContext db, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var paging = Paging.Read(page, pageSize, errors);
        var since = ReadTime(from, "from", errors);
        var until = ReadTime(to, "to", errors);
        if (since is not null && until is not null && until <= since)
        {
            errors["to"] = ["to must be later than from"];
        }

        if (actor?.Length > 256 || entity?.Length > 256)
        {
            errors[actor?.Length > 256 ? "actor" : "entity"] = ["at most 256 characters"];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var entries = db.AuditEntries.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(actor))
        {
            var wanted = EscapeLike(actor.Trim()); // ILIKE without wildcards: the whole name, any case
            entries = entries.Where(e => EF.Functions.ILike(e.Actor, wanted));
        }

        if (!string.IsNullOrWhiteSpace(entity))
        {
            var pattern = $"%{EscapeLike(entity.Trim())}%";
            entries = entries.Where(e => EF.Functions.ILike(e.EntityName, pattern) || EF.Functions.ILike(e.EntityType, pattern));
        }

        if (since is { } start)
        {
            entries = entries.Where(e => e.At >= start);
        }

        if (until is { } end)
        {
            entries = entries.Where(e => e.At < end);
        }

        var total = await entries.CountAsync(cancellationToken);
        var items = await entries.OrderByDescending(e => e.At).ThenByDescending(e => e.Id)
            .Skip(paging.Skip).Take(paging.PageSize)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new PageDto<AuditEntryDto>([.. items.Select(AuditEntryDto.From)], paging.Page, paging.PageSize, total));
    }

    private static DateTimeOffset? ReadTime(string? text, string field, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            return time;
        }

        errors[field] = [$"{field} must be a time in ISO 8601, e.g. 2026-11-30T18:00:00Z"];
        return null;
    }

    private static string EscapeLike(string text) => text.Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_");
}
