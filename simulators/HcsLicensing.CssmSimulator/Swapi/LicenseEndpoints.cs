using HcsLicensing.CssmSimulator.State;

namespace HcsLicensing.CssmSimulator.Swapi;

/// <summary>POST v1/accounts/{domain}/licenses: license usage of some VAs (all when none named), paged by offset/limit.</summary>
public static class LicenseEndpoints
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 1000;

    public static void Map(RouteGroupBuilder swapi)
    {
        swapi.MapPost("/v1/accounts/{domain}/licenses", (HttpContext context, CssmStore store, string domain, LicensesRequest request) =>
        {
            if (context.Forbidden(domain) is { } forbidden)
            {
                return forbidden;
            }

            var limit = request.Limit ?? DefaultLimit;
            var offset = request.Offset ?? 0;
            if (limit < 1 || limit > MaxLimit || offset < 0)
            {
                return SwapiAccess.BadRequest($"limit must be 1..{MaxLimit} and offset 0 or more");
            }

            var result = store.Licenses(domain, request.VirtualAccounts ?? [], offset, limit);
            if (result is not { } found || found.Total == 0)
            {
                return Results.Json(NoDataResponse.Instance);
            }

            var licenses = found.Page.Select(ToEntry).ToList();
            return Results.Json(new LicensesResponse(found.Total, licenses, "SUCCESS", "Licenses retrieved successfully"));
        });
    }

    private static LicenseEntry ToEntry(SimLicenseUsage line) => new(
        line.License.License,
        line.VirtualAccount,
        line.Quantity,
        line.InUse,
        line.Available,
        line.License.Reserved,
        line.License.PendingQuantity,
        line.Status,
        line.License.BillingType,
        AhaApps: false,
        IsPortable: false,
        LicenseSubstitutions: [],
        [.. line.License.Subscriptions.Select(s => new LicenseDetailEntry(s.LicenseType, s.Quantity, Date(s.StartDate), Date(s.EndDate), s.SubscriptionId, line.StatusOf(s)))]);

    private static string? Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
