using System.Globalization;
using HcsLicensing.CssmSimulator.State;

namespace HcsLicensing.CssmSimulator.Swapi;

/// <summary>
/// POST v1/accounts/{domain}/devices: the product instances registered in some VAs (all when none named), paged by
/// offset/limit like the license report. The path and fields are inferred (Cisco's device search is not public):
/// see docs/cssm-simulator.md.
/// </summary>
public static class DeviceSearchEndpoints
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 1000;

    public static void Map(RouteGroupBuilder swapi)
    {
        swapi.MapPost("/v1/accounts/{domain}/devices", (HttpContext context, CssmStore store, string domain, DevicesRequest request) =>
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

            if (store.ProductInstancesPage(domain, request.VirtualAccounts ?? [], offset, limit) is not { Total: > 0 } found)
            {
                return Results.Json(NoDataResponse.Instance);
            }

            var devices = found.Page.Select(ToEntry).ToList();
            return Results.Json(new DevicesResponse(found.Total, devices, "SUCCESS", "Devices retrieved successfully"));
        });
    }

    private static DeviceEntry ToEntry(SimProductInstance i) => new(
        i.ProductInstanceId.ToString(),
        i.ProductInstanceName,
        i.ProductType,
        i.Version,
        i.VirtualAccount,
        Instant(i.RegisteredAt),
        Instant(i.LastContactAt),
        "REGISTERED");

    private static string Instant(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
