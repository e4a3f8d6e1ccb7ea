using HcsLicensing.ServiceDefaults.Outbox;
using HcsLicensing.ServiceDefaults.Security;
using HcsLicensing.SmartAccountSync.Cssm;
using HcsLicensing.SmartAccountSync.Data;
using HcsLicensing.SmartAccountSync.SmartAccounts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HcsLicensing.SmartAccountSync.Transport;

/// <summary>
/// The transport settings towards CSSM: GET and PUT /transport-settings (the default route, for every smart account
/// without its own), and GET, PUT and DELETE /smart-accounts/{domain}/transport-settings (one smart account's route).
/// Until an operator saves the default, it reads as Direct with the configured CSSM URLs. A save takes effect on the
/// next CSSM call (<see cref="CssmRouteSource"/>); with ?verify=true the route must first reach the token endpoint.
/// </summary>
public static class TransportSettingsApi
{
    public static IEndpointRouteBuilder MapTransportSettingsApi(this IEndpointRouteBuilder endpoints)
    {
        var settings = endpoints.MapGroup("/transport-settings").WithTags("Transport Settings");
        settings.MapGet("/", Get).RequirePermission(HcsPermissions.Read);
        // ?verify=true tries a proxy password against the proxy: a guessing oracle, limited like other credential checks.
        settings.MapPut("/", Put).RequirePermission(HcsPermissions.Admin).TestsCredentials();

        var account = endpoints.MapGroup("/smart-accounts/{domain}/transport-settings").WithTags("Transport Settings");
        account.MapGet("/", GetOfAccount).RequirePermission(HcsPermissions.Read);
        account.MapPut("/", PutOfAccount).RequirePermission(HcsPermissions.Admin).TestsCredentials();
        account.MapDelete("/", DeleteOfAccount).RequirePermission(HcsPermissions.Admin);
        return endpoints;
    }

    private static async Task<Ok<TransportSettingsDto>> Get(SmartAccountSyncDbContext db, IOptions<CssmOptions> cssm, CancellationToken cancellationToken) =>
        TypedResults.Ok(TransportSettingsDto.From(await db.TransportSettings.AsNoTracking().SingleOrDefaultAsync(cancellationToken) ?? Defaults(cssm.Value)));

    private static async Task<Results<Ok<TransportSettingsDto>, ValidationProblem, ProblemHttpResult>> Put(
        TransportSettingsDto request, bool? verify, HttpContext http, SmartAccountSyncDbContext db, TransportSettingsSaver saver, CancellationToken cancellationToken)
    {
        var settings = await db.TransportSettings.SingleOrDefaultAsync(cancellationToken);
        if (settings is null)
        {
            settings = new TransportSettings();
            db.TransportSettings.Add(settings);
        }

        return await saver.SaveAsync(settings, request, verify == true, smartAccountDomain: null, CallerIdentity.Of(http.User), cancellationToken);
    }

    private static async Task<Results<Ok<TransportSettingsDto>, ProblemHttpResult>> GetOfAccount(string domain, SmartAccountSyncDbContext db, CancellationToken cancellationToken)
    {
        var key = domain.Trim().ToLowerInvariant();
        return await db.SmartAccountTransportSettings.AsNoTracking().SingleOrDefaultAsync(s => s.Domain == key, cancellationToken) is { } own
            ? TypedResults.Ok(TransportSettingsDto.From(own))
            : NoneOfItsOwn(key);
    }

    private static async Task<Results<Ok<TransportSettingsDto>, ValidationProblem, ProblemHttpResult>> PutOfAccount(
        string domain, TransportSettingsDto request, bool? verify, HttpContext http, SmartAccountSyncDbContext db, TransportSettingsSaver saver, CancellationToken cancellationToken)
    {
        if (!SmartAccountDomain.TryRead(domain, out var key))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["domain"] = ["the smart account's domain name, e.g. hcs-demo.example.com"] });
        }

        var settings = await db.SmartAccountTransportSettings.SingleOrDefaultAsync(s => s.Domain == key, cancellationToken);
        if (settings is null)
        {
            settings = new SmartAccountTransportSettings { Domain = key };
            db.SmartAccountTransportSettings.Add(settings);
        }

        return await saver.SaveAsync(settings, request, verify == true, key, CallerIdentity.Of(http.User), cancellationToken);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteOfAccount(
        string domain, HttpContext http, SmartAccountSyncDbContext db, CssmRouteSource routes, TransportSettingsSaver saver, TransactionalOutbox<SmartAccountSyncDbContext> outbox, CancellationToken cancellationToken)
    {
        var key = domain.Trim().ToLowerInvariant();
        // The removal and its audit line commit together.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await db.SmartAccountTransportSettings.Where(s => s.Domain == key).ExecuteDeleteAsync(cancellationToken) == 0)
        {
            return NoneOfItsOwn(key);
        }

        await outbox.Publish.Publish(saver.Changed(key, "Transport settings of its own removed: the default route applies", CallerIdentity.Of(http.User)), cancellationToken);
        await outbox.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        routes.Forget();
        return TypedResults.NoContent();
    }

    private static ProblemHttpResult NoneOfItsOwn(string domain) => TypedResults.Problem(
        title: "No transport settings of its own",
        detail: $"smart account {domain} has no transport settings of its own; it takes the default route (GET /transport-settings)",
        statusCode: StatusCodes.Status404NotFound);

    private static TransportSettings Defaults(CssmOptions cssm) => new()
    {
        Mode = TransportSettingsDto.Direct,
        AuthenticationGateway = cssm.TokenUrl.ToString(),
        CssmServer = cssm.SwapiBaseUrl.ToString(),
    };
}
