using System.Globalization;
using HcsLicensing.ServiceDefaults.Security;
using HcsLicensing.SmartAccountSync.Data;
using HcsLicensing.SmartAccountSync.SmartAccounts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace HcsLicensing.SmartAccountSync.Licenses;

/// <summary>
/// License usage as CSSM reported it at the last sync: one VA's licenses with their subscriptions, and a smart account's
/// summary (every VA's licenses, the short ones, the subscriptions ending within N days). Errors are RFC 9457 problems.
/// </summary>
public static class LicensesApi
{
    public const int DefaultExpiringWithinDays = 90;
    public const int MaxExpiringWithinDays = 3650;

    public static IEndpointRouteBuilder MapLicensesApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/virtual-accounts/{domain}/{virtualAccount}/licenses", OfVirtualAccount).WithTags("Licenses").RequirePermission(HcsPermissions.Read);
        endpoints.MapGet("/licenses/summary", Summary).WithTags("Licenses").RequirePermission(HcsPermissions.Read);
        return endpoints;
    }

    private static async Task<Results<Ok<VirtualAccountLicensesDto>, ValidationProblem, ProblemHttpResult>> OfVirtualAccount(
        string domain, string virtualAccount, SmartAccountSyncDbContext db, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var wanted = ReadDomain(domain, errors);
        if (virtualAccount.Length > 256)
        {
            errors["virtualAccount"] = ["a virtual account's name has at most 256 characters"];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (await db.SmartAccounts.AsNoTracking().SingleOrDefaultAsync(a => a.Domain == wanted, cancellationToken) is not { } account)
        {
            return UnknownDomain(wanted);
        }

        // CSSM treats VA names case-insensitively; the exact spelling wins if two differ only in case.
        var va = await db.VirtualAccounts.AsNoTracking()
            .Where(v => v.SmartAccountId == account.Id && v.RemovedAt == null && EF.Functions.ILike(v.Name, SmartAccountQueries.EscapeLike(virtualAccount)))
            .OrderBy(v => v.Name != virtualAccount)
            .Select(v => v.Name)
            .FirstOrDefaultAsync(cancellationToken);
        if (va is null)
        {
            return TypedResults.Problem(
                title: "Virtual account not found", detail: $"smart account {wanted} has no virtual account {virtualAccount} (as of its last sync)", statusCode: StatusCodes.Status404NotFound);
        }

        var lines = await db.LicenseLines.AsNoTracking()
            .Where(l => l.SmartAccountId == account.Id && l.VirtualAccount == va)
            .OrderBy(l => l.Id)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new VirtualAccountLicensesDto(account.Domain, va, account.LastSyncedAt, [.. lines.Select(ToDto)]));
    }

    private static async Task<Results<Ok<LicenseSummaryDto>, ValidationProblem, ProblemHttpResult>> Summary(
        string? domain, string? expiringWithinDays, SmartAccountSyncDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var wanted = ReadDomain(domain, errors);
        var days = DefaultExpiringWithinDays;
        if (expiringWithinDays is not null
            && (!int.TryParse(expiringWithinDays, NumberStyles.None, CultureInfo.InvariantCulture, out days) || days > MaxExpiringWithinDays))
        {
            errors["expiringWithinDays"] = [$"'{Shorten(expiringWithinDays)}' is not a number of days from 0 to {MaxExpiringWithinDays}"];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (await db.SmartAccounts.AsNoTracking().SingleOrDefaultAsync(a => a.Domain == wanted, cancellationToken) is not { } account)
        {
            return UnknownDomain(wanted);
        }

        var lines = await db.LicenseLines.AsNoTracking().Where(l => l.SmartAccountId == account.Id).OrderBy(l => l.Id).ToListAsync(cancellationToken);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var until = today.AddDays(days);
        var perVa = lines
            .GroupBy(l => l.VirtualAccount, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new VirtualAccountUsageDto(g.Key, [.. g.Select(l => new LicenseUsageDto(l.License, l.Quantity, l.InUse, l.Available, l.Status))]))
            .ToList();
        var shortLines = lines
            .Where(l => LicenseUsage.IsShort(l.Available, l.Status))
            .OrderBy(l => l.Available).ThenBy(l => l.VirtualAccount, StringComparer.Ordinal)
            .Select(l => new ShortLicenseDto(l.VirtualAccount, l.License, l.Quantity, l.InUse, l.Available, l.Status))
            .ToList();
        var expiring = lines
            .SelectMany(l => l.Subscriptions.Where(s => s.EndDate is { } end && end >= today && end <= until).Select(s => (Line: l, Subscription: s, End: s.EndDate!.Value)))
            .OrderBy(x => x.End).ThenBy(x => x.Line.VirtualAccount, StringComparer.Ordinal).ThenBy(x => x.Line.License, StringComparer.Ordinal)
            .Select(x => new ExpiringSubscriptionDto(x.Line.VirtualAccount, x.Line.License, x.Subscription.SubscriptionId, x.Subscription.Quantity, x.End, x.End.DayNumber - today.DayNumber))
            .ToList();
        return TypedResults.Ok(new LicenseSummaryDto(account.Domain, account.LastSyncedAt, perVa, shortLines, expiring));
    }

    private static string ReadDomain(string? domain, Dictionary<string, string[]> errors)
    {
        if (!SmartAccountDomain.TryRead(domain, out var wanted))
        {
            errors["domain"] = ["the smart account's domain name is required, e.g. hcs-demo.example.com"];
        }

        return wanted;
    }

    private static ProblemHttpResult UnknownDomain(string domain) =>
        TypedResults.Problem(title: "Smart account not found", detail: $"no smart account {domain} is configured", statusCode: StatusCodes.Status404NotFound);

    private static string Shorten(string value) => value.Length <= 32 ? value : value[..32] + "...";

    private static LicenseDto ToDto(LicenseLine line) => new(
        line.License, line.Quantity, line.InUse, line.Available, line.Reserved, line.PendingQuantity, line.Status, line.BillingType,
        [.. line.Subscriptions.Select(s => new LicenseSubscriptionDto(s.LicenseType, s.Quantity, s.StartDate, s.EndDate, s.SubscriptionId, s.Status))]);
}
