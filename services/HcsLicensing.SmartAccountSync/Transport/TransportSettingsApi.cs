using HcsLicensing.ServiceDefaults.Security;
using HcsLicensing.SmartAccountSync.Cssm;
using HcsLicensing.SmartAccountSync.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HcsLicensing.SmartAccountSync.Transport;

/// <summary>
/// GET and PUT /transport-settings. Until an operator saves them, the settings read as Direct with the configured CSSM
/// URLs. They are kept and validated here; the CSSM clients take their URLs from configuration (see docs/smart-accounts.md).
/// </summary>
public static class TransportSettingsApi
{
    public static IEndpointRouteBuilder MapTransportSettingsApi(this IEndpointRouteBuilder endpoints)
    {
        var settings = endpoints.MapGroup("/transport-settings").WithTags("Transport Settings");
        settings.MapGet("/", Get).RequirePermission(HcsPermissions.Read);
        settings.MapPut("/", Put).RequirePermission(HcsPermissions.Admin);
        return endpoints;
    }

    private static async Task<Ok<TransportSettingsDto>> Get(SmartAccountSyncDbContext db, IOptions<CssmOptions> cssm, CancellationToken cancellationToken) =>
        TypedResults.Ok(TransportSettingsDto.From(await db.TransportSettings.AsNoTracking().SingleOrDefaultAsync(cancellationToken) ?? Defaults(cssm.Value)));

    private static async Task<Results<Ok<TransportSettingsDto>, ValidationProblem>> Put(
        TransportSettingsDto request, SmartAccountSyncDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = request.Validate();
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var settings = await db.TransportSettings.SingleOrDefaultAsync(cancellationToken);
        if (settings is null)
        {
            settings = new TransportSettings();
            db.TransportSettings.Add(settings);
        }

        var proxy = string.Equals(request.Mode!.Trim(), TransportSettingsDto.Proxy, StringComparison.OrdinalIgnoreCase);
        settings.Mode = proxy ? TransportSettingsDto.Proxy : TransportSettingsDto.Direct;
        settings.ProxyHost = proxy ? request.ProxyHost!.Trim() : null;
        settings.ProxyPort = proxy ? request.ProxyPort : null;
        settings.AuthenticationGateway = request.AuthenticationGateway!.Trim();
        settings.CssmServer = request.CssmServer!.Trim();
        settings.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(TransportSettingsDto.From(settings));
    }

    private static TransportSettings Defaults(CssmOptions cssm) => new()
    {
        Mode = TransportSettingsDto.Direct,
        AuthenticationGateway = cssm.TokenUrl.ToString(),
        CssmServer = cssm.SwapiBaseUrl.ToString(),
    };
}
