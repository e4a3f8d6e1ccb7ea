using HcsLicensing.Contracts.Audit;
using HcsLicensing.ServiceDefaults.Outbox;
using HcsLicensing.SmartAccountSync.Data;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HcsLicensing.SmartAccountSync.Transport;

/// <summary>
/// Saves a route's settings from a PUT: validates them, encrypts a new proxy password (a PUT without one keeps the
/// saved password of the same user), optionally checks the route first (nothing is saved when it fails), then makes
/// this replica use it at once.
/// </summary>
public sealed class TransportSettingsSaver(
    SmartAccountSyncDbContext db,
    ProxyPasswordProtector passwords,
    CssmRouteSource routes,
    TransportCheck check,
    TransactionalOutbox<SmartAccountSyncDbContext> outbox,
    TimeProvider clock,
    ILogger<TransportSettingsSaver> logger)
{
    /// <summary>The entity name of the default route in the audit trail.</summary>
    public const string DefaultRoute = "(default)";

    public async Task<Results<Ok<TransportSettingsDto>, ValidationProblem, ProblemHttpResult>> SaveAsync(
        TransportRouteSettings settings, TransportSettingsDto request, bool verify, string? smartAccountDomain, string? changedBy, CancellationToken cancellationToken)
    {
        var errors = request.Validate();
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var proxy = request.IsProxy;
        var user = proxy ? request.ProxyUser?.Trim() : null;
        settings.ProtectedProxyPassword = user is null ? null
            : request.ProxyPassword is { } password ? passwords.Protect(password)
            : user == settings.ProxyUser ? settings.ProtectedProxyPassword
            : null;
        settings.Mode = proxy ? TransportSettingsDto.Proxy : TransportSettingsDto.Direct;
        settings.ProxyHost = proxy ? request.ProxyHost!.Trim() : null;
        settings.ProxyPort = proxy ? request.ProxyPort : null;
        settings.ProxyUser = user;
        settings.AuthenticationGateway = request.AuthenticationGateway!.Trim();
        settings.CssmServer = request.CssmServer!.Trim();
        settings.UpdatedAt = clock.GetUtcNow();

        var route = routes.RouteOf(settings);
        var scope = smartAccountDomain is null ? "default" : $"smart account {smartAccountDomain}";
        if (verify && await check.CheckAsync(route, smartAccountDomain, cancellationToken) is { } failure)
        {
            logger.LogWarning("Transport settings ({Scope}) not saved: {Route} failed the check: {Reason} {Detail}", scope, route.Describe(), failure.Reason, failure.Detail);
            return TypedResults.Problem(
                title: $"Transport settings not saved: {failure.Title}",
                detail: failure.Detail,
                statusCode: StatusCodes.Status422UnprocessableEntity,
                extensions: new Dictionary<string, object?> { ["reason"] = failure.Reason, ["route"] = route.Describe() });
        }

        // The audit line commits with the settings (never the password: whether one is set, and the user).
        await outbox.Publish.Publish(Changed(smartAccountDomain, $"Transport settings saved: {Describe(settings)}", changedBy), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        routes.Forget();
        logger.LogInformation("Transport settings ({Scope}) saved: CSSM calls go {Route} to {TokenUrl} and {SwapiUrl}", scope, route.Describe(), route.TokenUrl, route.SwapiBaseUrl);
        return TypedResults.Ok(TransportSettingsDto.From(settings));
    }

    /// <summary>The audit trail's line for a change of a route's settings (<paramref name="smartAccountDomain"/> null: the default).</summary>
    public ConfigurationChanged Changed(string? smartAccountDomain, string change, string? changedBy) => new()
    {
        Service = "SmartAccountSync",
        EntityType = "Transport Settings",
        EntityName = smartAccountDomain ?? DefaultRoute,
        Change = change,
        ChangedBy = changedBy ?? "(unknown)",
        ChangedAt = clock.GetUtcNow(),
    };

    private static string Describe(TransportRouteSettings settings) =>
        (settings.Mode == TransportSettingsDto.Proxy
            ? $"Proxy {settings.ProxyHost}:{settings.ProxyPort}" + (settings.ProxyUser is null ? "" : $" as {settings.ProxyUser} (password {(settings.ProtectedProxyPassword is null ? "none" : "set")})")
            : "Direct")
        + $", authentication gateway {settings.AuthenticationGateway}, CSSM server {settings.CssmServer}";
}
