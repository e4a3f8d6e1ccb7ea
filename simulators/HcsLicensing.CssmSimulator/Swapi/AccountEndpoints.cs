using HcsLicensing.CssmSimulator.OAuth;
using HcsLicensing.CssmSimulator.State;

namespace HcsLicensing.CssmSimulator.Swapi;

/// <summary>GET v2/accounts (what the caller may access) and GET v1/accounts/search.</summary>
public static class AccountEndpoints
{
    public static void Map(RouteGroupBuilder swapi)
    {
        swapi.MapGet("/v2/accounts", (HttpContext context, CssmStore store, OAuthServer oauth) =>
        {
            var domains = oauth.DomainsOf(context.ClientId());
            var accounts = store.Accounts()
                .Where(a => domains.Contains(a.Domain))
                .Select(a => new AccountEntry(a.Name, a.Domain, a.AccountType, "Active", [new RoleEntry("SMART_ACCOUNT_ADMIN")]))
                .ToList();
            return Results.Json(new AccountsResponse(accounts, "SUCCESS", "Accounts retrieved successfully"));
        });

        swapi.MapGet("/v1/accounts/search", (HttpContext context, CssmStore store, OAuthServer oauth, string? domain, string? type, int? limit, int? offset) =>
        {
            var domains = oauth.DomainsOf(context.ClientId());
            var matches = store.Accounts()
                .Where(a => domains.Contains(a.Domain))
                .Where(a => string.IsNullOrEmpty(domain) || a.Domain.Contains(domain, StringComparison.OrdinalIgnoreCase))
                .Where(a => string.IsNullOrEmpty(type) || string.Equals(a.AccountType, type, StringComparison.OrdinalIgnoreCase))
                .ToList();
            if (matches.Count == 0)
            {
                return Results.Json(NoDataResponse.Instance);
            }

            var page = matches.Skip(Math.Max(0, offset ?? 0)).Take(Math.Clamp(limit ?? 1000, 1, 1000))
                .Select(a => new SearchEntry(a.Domain, a.Name, a.Id, a.AccountType, "ACTIVE"))
                .ToList();
            return Results.Json(new SearchResponse(matches.Count, page, "SUCCESS", "Accounts retrieved successfully"));
        });
    }
}
