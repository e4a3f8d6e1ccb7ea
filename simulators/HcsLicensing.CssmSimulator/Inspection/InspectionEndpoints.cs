using HcsLicensing.CssmSimulator.OAuth;
using HcsLicensing.CssmSimulator.State;
using HcsLicensing.CssmSimulator.Swapi;

namespace HcsLicensing.CssmSimulator.Inspection;

/// <summary>Read-only views for tests: calls received, tokens issued, smart accounts, product instances per VA.</summary>
public static class InspectionEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var inspect = endpoints.MapGroup("/sim/inspect");

        inspect.MapGet("/calls", (CallLog calls) => calls.Snapshot());

        inspect.MapGet("/oauth", (OAuthServer oauth) =>
            new { tokensIssued = oauth.IssuedPerClient, rejectedBearers = oauth.RejectedBearers, tokenLifetimeSeconds = oauth.TokenLifetimeSeconds });

        inspect.MapGet("/registration-tokens", (CssmStore store) =>
            store.AllRegistrationTokens().Select(t => new { smartAccountDomain = t.Domain, token = TokenEndpoints.ToEntry(t, store.Clock) }));

        inspect.MapGet("/smart-accounts", (CssmStore store, OAuthServer oauth) =>
            store.Accounts().Select(a =>
            {
                var vas = store.VirtualAccounts(a.Domain) ?? [];
                return new
                {
                    domain = a.Domain,
                    name = a.Name,
                    accountType = a.AccountType,
                    virtualAccounts = vas.Count,
                    satelliteSynced = vas.Count(v => v.SatelliteSynced),
                    satelliteSyncedNames = vas.Where(v => v.SatelliteSynced).Select(v => v.Name),
                };
            }));

        inspect.MapGet("/virtual-accounts/{domain}/{virtualAccount}/product-instances", (CssmStore store, string domain, string virtualAccount) =>
            store.ProductInstances(domain, virtualAccount) is { } instances
                ? Results.Json(instances.Select(i => new { i.ProductInstanceId, i.ProductInstanceName, i.ProductType, i.Version, i.RegisteredAt }))
                : Results.NotFound());
    }
}
