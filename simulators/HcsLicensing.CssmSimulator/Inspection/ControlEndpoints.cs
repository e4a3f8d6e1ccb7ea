using HcsLicensing.CssmSimulator.Faults;
using HcsLicensing.CssmSimulator.OAuth;
using HcsLicensing.CssmSimulator.State;

namespace HcsLicensing.CssmSimulator.Inspection;

/// <summary>What tests change while the simulator runs: faults, token lifetime and revocation, the clock, and VAs.</summary>
public static class ControlEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var control = endpoints.MapGroup("/sim/control");

        control.MapGet("/faults", (FaultInjector faults) => faults.Current);
        control.MapPut("/faults", (FaultInjector faults, FaultSettings settings) =>
        {
            faults.Set(settings);
            return faults.Current;
        });

        control.MapPut("/oauth/token-lifetime", (OAuthServer oauth, TokenLifetime lifetime) =>
        {
            oauth.TokenLifetimeSeconds = lifetime.Seconds;
            return Results.NoContent();
        });
        control.MapPost("/oauth/revoke", (OAuthServer oauth) => new { revoked = oauth.RevokeAll() });

        control.MapPost("/clock/advance", (CssmStore store, ClockAdvance advance) =>
        {
            store.Clock.Advance(TimeSpan.FromSeconds(advance.Seconds));
            return new { now = store.Clock.GetUtcNow(), offset = store.Clock.Offset };
        });

        control.MapPost("/calls/reset", (CallLog calls) =>
        {
            calls.Reset();
            return Results.NoContent();
        });

        control.MapPost("/smart-accounts/{domain}/virtual-accounts", (CssmStore store, string domain, NewVirtualAccount request) =>
        {
            if (string.IsNullOrWhiteSpace(request.Name))
            {
                return Results.BadRequest(new { error = "name is required" });
            }

            var virtualAccount = new SimVirtualAccount(
                request.Name, request.Description ?? "", isDefault: false, request.CommerceAccessLevel ?? "PUBLIC", request.SatelliteSynced ?? false);
            return store.AddVirtualAccount(domain, virtualAccount)
                ? Results.Created($"/sim/control/smart-accounts/{domain}/virtual-accounts/{request.Name}", request)
                : Results.Conflict(new { error = $"smart account {domain} is unknown or already has a virtual account {request.Name}" });
        });

        control.MapDelete("/smart-accounts/{domain}/virtual-accounts/{name}", (CssmStore store, string domain, string name) =>
            store.RemoveVirtualAccount(domain, name) ? Results.NoContent() : Results.NotFound());

        // Replaces what a VA bought and uses outside the simulator; registered product instances still add their use.
        control.MapPut("/smart-accounts/{domain}/virtual-accounts/{name}/licenses", (CssmStore store, string domain, string name, IReadOnlyList<LicenseSeed> licenses) =>
        {
            if (licenses.Any(l => string.IsNullOrWhiteSpace(l.License)))
            {
                return Results.BadRequest(new { error = "every line needs a license name" });
            }

            var lines = licenses.Select(l => new SimLicense(
                l.License, l.BillingType ?? "PREPAID", l.InUse, l.Reserved, l.PendingQuantity,
                [.. (l.LicenseDetails ?? []).Select(d => new SimSubscription(d.LicenseType ?? "TERM", d.Quantity, d.StartDate, d.EndDate, d.SubscriptionId))])).ToList();
            return store.SetLicenses(domain, name, lines) ? Results.NoContent() : Results.NotFound();
        });

        // Drift for the license audit: an admin moves a product instance in CSSM's portal, or one registers by hand.
        control.MapPut("/product-instances/{productInstanceId:guid}/virtual-account", (CssmStore store, Guid productInstanceId, MoveProductInstance request) =>
            string.IsNullOrWhiteSpace(request.VirtualAccount)
                ? Results.BadRequest(new { error = "virtualAccount is required" })
                : store.MoveProductInstance(productInstanceId, request.VirtualAccount) is { } moved ? Results.Ok(moved) : Results.NotFound());

        control.MapPut("/product-instances/{productInstanceId:guid}/last-contact", (CssmStore store, Guid productInstanceId, LastContact request) =>
            store.SetLastContact(productInstanceId, store.Clock.GetUtcNow().AddDays(-request.DaysAgo)) is { } quiet ? Results.Ok(quiet) : Results.NotFound());

        control.MapPost("/smart-accounts/{domain}/virtual-accounts/{name}/product-instances", (CssmStore store, string domain, string name, NewProductInstance request) =>
        {
            if (string.IsNullOrWhiteSpace(request.ProductInstanceName))
            {
                return Results.BadRequest(new { error = "productInstanceName is required" });
            }

            return store.AddProductInstance(domain, name, request.ProductInstanceName, request.ProductType ?? "CUCM", request.Version ?? "12.5") is { } added
                ? Results.Created($"/sim/inspect/virtual-accounts/{added.Domain}/{added.VirtualAccount}/product-instances", added)
                : Results.NotFound();
        });
    }
}

public sealed record TokenLifetime(int Seconds);

public sealed record ClockAdvance(double Seconds);

/// <summary>A license a VA holds: inUse is the use outside the simulator's own registrations.</summary>
public sealed record LicenseSeed(string License, string? BillingType, int InUse, int Reserved, int PendingQuantity, IReadOnlyList<SubscriptionSeed>? LicenseDetails);

public sealed record SubscriptionSeed(string? LicenseType, int Quantity, DateOnly? StartDate, DateOnly? EndDate, string? SubscriptionId);

public sealed record LastContact(double DaysAgo);

public sealed record MoveProductInstance(string? VirtualAccount);

public sealed record NewProductInstance(string? ProductInstanceName, string? ProductType, string? Version);

public sealed record NewVirtualAccount(string Name, string? Description, string? CommerceAccessLevel, bool? SatelliteSynced);
