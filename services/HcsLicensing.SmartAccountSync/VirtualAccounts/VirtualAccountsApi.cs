using HcsLicensing.ServiceDefaults.Http;
using HcsLicensing.ServiceDefaults.Security;
using HcsLicensing.SmartAccountSync.Data;
using HcsLicensing.SmartAccountSync.SmartAccounts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace HcsLicensing.SmartAccountSync.VirtualAccounts;

/// <summary>
/// HCM-F's Virtual Account Summary: the synced VAs, filtered by name (part of it), smart account (name or domain)
/// and access level, in pages; and one VA. VAs gone from CSSM are left out unless includeRemoved=true.
/// </summary>
public static class VirtualAccountsApi
{
    private static readonly string[] AccessLevels = ["PUBLIC", "PRIVATE"];

    public static IEndpointRouteBuilder MapVirtualAccountsApi(this IEndpointRouteBuilder endpoints)
    {
        var vas = endpoints.MapGroup("/virtual-accounts").WithTags("Virtual Accounts").RequirePermission(HcsPermissions.Read);
        vas.MapGet("/", List);
        vas.MapGet("/{id:guid}", Get);
        return endpoints;
    }

    private static async Task<Results<Ok<PageDto<VirtualAccountDto>>, ValidationProblem>> List(
        string? name, string? smartAccount, string? accessLevel, bool? includeRemoved, string? page, string? pageSize,
        SmartAccountSyncDbContext db, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var paging = Paging.Read(page, pageSize, errors);
        var level = accessLevel?.Trim().ToUpperInvariant();
        if (!string.IsNullOrEmpty(level) && !AccessLevels.Contains(level))
        {
            errors["accessLevel"] = [$"'{accessLevel}' is not an access level; use PUBLIC or PRIVATE"];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var query = Rows(db);
        if (includeRemoved != true)
        {
            query = query.Where(r => r.Va.RemovedAt == null);
        }

        if (!string.IsNullOrWhiteSpace(name))
        {
            query = query.Where(r => EF.Functions.ILike(r.Va.Name, $"%{SmartAccountQueries.EscapeLike(name.Trim())}%"));
        }

        if (!string.IsNullOrWhiteSpace(smartAccount))
        {
            var wanted = smartAccount.Trim().ToLowerInvariant();
            query = query.Where(r => EF.Functions.ILike(r.Sa.Name, SmartAccountQueries.EscapeLike(wanted)) || r.Sa.Domain == wanted);
        }

        if (!string.IsNullOrEmpty(level))
        {
            query = query.Where(r => r.Va.CommerceAccessLevel == level);
        }

        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderBy(r => r.Va.Name).ThenBy(r => r.Sa.Name).Skip(paging.Skip).Take(paging.PageSize).ToListAsync(cancellationToken);
        return TypedResults.Ok(new PageDto<VirtualAccountDto>([.. items.Select(ToDto)], paging.Page, paging.PageSize, total));
    }

    private static async Task<Results<Ok<VirtualAccountDto>, ProblemHttpResult>> Get(Guid id, SmartAccountSyncDbContext db, CancellationToken cancellationToken) =>
        await Rows(db).SingleOrDefaultAsync(r => r.Va.Id == id, cancellationToken) is { } row
            ? TypedResults.Ok(ToDto(row))
            : TypedResults.Problem(title: "Virtual account not found", detail: $"virtual account {id} not found", statusCode: StatusCodes.Status404NotFound);

    private static IQueryable<Row> Rows(SmartAccountSyncDbContext db) =>
        db.VirtualAccounts.AsNoTracking().Join(db.SmartAccounts.AsNoTracking(), v => v.SmartAccountId, a => a.Id, (v, a) => new Row { Va = v, Sa = a });

    private static VirtualAccountDto ToDto(Row row) => new(
        row.Va.Id, row.Va.Name, row.Va.Description, row.Sa.Id, row.Sa.Name, row.Sa.Domain, row.Va.CommerceAccessLevel, row.Va.IsDefault,
        row.Va.FirstSyncedAt, row.Va.UpdatedAt, row.Va.RemovedAt);

    private sealed class Row
    {
        public required VirtualAccount Va { get; init; }

        public required SmartAccount Sa { get; init; }
    }
}
