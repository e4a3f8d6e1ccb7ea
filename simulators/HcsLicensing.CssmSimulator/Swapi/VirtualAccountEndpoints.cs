using HcsLicensing.CssmSimulator.State;

namespace HcsLicensing.CssmSimulator.Swapi;

/// <summary>GET v1/accounts/{domain}/{accountType}/virtual-accounts: every VA at once, as the real API (no paging).</summary>
public static class VirtualAccountEndpoints
{
    public static void Map(RouteGroupBuilder swapi)
    {
        swapi.MapGet("/v1/accounts/{domain}/{accountType}/virtual-accounts", (HttpContext context, CssmStore store, string domain, string accountType) =>
        {
            if (context.Forbidden(domain) is { } forbidden)
            {
                return forbidden;
            }

            if (!string.Equals(accountType, "CUSTOMER", StringComparison.OrdinalIgnoreCase) && !string.Equals(accountType, "HOLDING", StringComparison.OrdinalIgnoreCase))
            {
                return SwapiAccess.BadRequest($"accountType must be CUSTOMER or HOLDING, not {accountType}");
            }

            var account = store.FindAccount(domain);
            if (account is null || !string.Equals(account.AccountType, accountType, StringComparison.OrdinalIgnoreCase))
            {
                return Results.Json(NoDataResponse.Instance, statusCode: StatusCodes.Status404NotFound);
            }

            var list = store.VirtualAccounts(domain)!
                .Select(va => new VirtualAccountEntry(va.Name, va.Description, Quoted(va.IsDefault), va.CommerceAccessLevel, Quoted(va.SatelliteSynced)))
                .ToList();
            return Results.Json(new VirtualAccountsResponse(list, "SUCCESS", "Virtual accounts retrieved successfully"));
        });
    }

    private static string Quoted(bool value) => value ? "true" : "false";
}
