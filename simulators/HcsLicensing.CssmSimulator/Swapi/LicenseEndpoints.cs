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

            var licenses = found.Page.Select(line => ToEntry(line.VirtualAccount, line.License)).ToList();
            return Results.Json(new LicensesResponse(found.Total, licenses, "SUCCESS", "Licenses retrieved successfully"));
        });
    }

    private static LicenseEntry ToEntry(string virtualAccount, SimLicense license) => new(
        license.License,
        virtualAccount,
        license.Quantity,
        license.InUse,
        license.Quantity - license.InUse,
        Reserved: 0,
        PendingQuantity: 0,
        license.InUse <= license.Quantity ? "In Compliance" : "Out of Compliance",
        license.BillingType,
        IsPortable: false,
        [new LicenseDetailEntry(license.LicenseType, license.Quantity, license.StartDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), license.EndDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), "ACTIVE")]);
}
