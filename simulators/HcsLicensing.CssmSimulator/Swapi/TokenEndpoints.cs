using HcsLicensing.CssmSimulator.Seeding;
using HcsLicensing.CssmSimulator.State;
using Microsoft.Extensions.Options;

namespace HcsLicensing.CssmSimulator.Swapi;

/// <summary>Registration tokens of a VA: GET lists them (expired ones too, with their status), POST creates one.</summary>
public static class TokenEndpoints
{
    private const string Path = "/v1/accounts/{domain}/virtual-accounts/{virtualAccount}/tokens";

    public static void Map(RouteGroupBuilder swapi)
    {
        swapi.MapGet(Path, (HttpContext context, CssmStore store, string domain, string virtualAccount) =>
        {
            if (context.Forbidden(domain) is { } forbidden)
            {
                return forbidden;
            }

            var tokens = store.RegistrationTokens(domain, virtualAccount);
            return tokens is null
                ? SwapiAccess.NotFound($"Virtual account {virtualAccount}")
                : Results.Json(new TokensResponse([.. tokens.Select(t => ToEntry(t, store.Clock))], "SUCCESS", "Tokens retrieved successfully"));
        });

        swapi.MapPost(Path, (HttpContext context, CssmStore store, IOptions<CssmSimulatorOptions> options, string domain, string virtualAccount, CreateTokenRequest request) =>
        {
            if (context.Forbidden(domain) is { } forbidden)
            {
                return forbidden;
            }

            var days = request.ExpiresAfterDays ?? 30;
            if (days < 1 || days > options.Value.RegistrationTokenMaxDays)
            {
                return SwapiAccess.BadRequest($"expiresAfterDays must be between 1 and {options.Value.RegistrationTokenMaxDays}");
            }

            var exportControlled = request.ExportControlled ?? "Not Allowed";
            if (exportControlled is not ("Allowed" or "Not Allowed"))
            {
                return SwapiAccess.BadRequest("exportControlled must be \"Allowed\" or \"Not Allowed\"");
            }

            var token = store.CreateRegistrationToken(domain, virtualAccount, request.Description ?? "", days, exportControlled, context.ClientId());
            return token is null
                ? SwapiAccess.NotFound($"Virtual account {virtualAccount}")
                : Results.Json(new CreateTokenResponse("SUCCESS", "Token created successfully", ToEntry(token, store.Clock)));
        });
    }

    public static TokenEntry ToEntry(SimRegistrationToken token, TimeProvider clock) => new(
        token.Token,
        token.Description,
        token.CreatedBy,
        Wire.Date(token.CreatedAt),
        Wire.Date(token.ExpiresAt),
        token.ExportControlled,
        token.ExpiresAt > clock.GetUtcNow() ? "VALID" : "EXPIRED",
        token.VirtualAccount);
}

/// <summary>How swapi writes instants: ISO 8601 in UTC to the second.</summary>
public static class Wire
{
    public static string Date(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
