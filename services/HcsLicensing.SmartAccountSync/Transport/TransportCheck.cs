using System.Net;
using HcsLicensing.SmartAccountSync.Cssm;
using HcsLicensing.SmartAccountSync.Data;
using HcsLicensing.SmartAccountSync.SmartAccounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HcsLicensing.SmartAccountSync.Transport;

/// <summary>
/// PUT ...?verify=true: asks the token endpoint for a token through a route before it is saved, once and without
/// retries, on the same pooled handler the route's calls will use. It sends the smart account's API client (for the
/// default route: any configured one); with none configured yet, a made-up client whose OAuth refusal still proves the
/// token endpoint was reached.
/// </summary>
public sealed class TransportCheck(CssmRouteHandlers handlers, SmartAccountSyncDbContext db, ClientSecretProtector secrets, IOptions<CssmOptions> options)
{
    public const string ProbeClientId = "hcs-transport-check";

    /// <summary>Null when the route reached the token endpoint and (with a real client) got a token.</summary>
    public async Task<RouteFailure?> CheckAsync(CssmRoute route, string? smartAccountDomain, CancellationToken cancellationToken)
    {
        var account = await db.SmartAccounts.AsNoTracking()
            .OrderBy(a => a.Domain != smartAccountDomain).ThenBy(a => a.Domain)
            .FirstOrDefaultAsync(a => smartAccountDomain == null || a.Domain == smartAccountDomain, cancellationToken);
        var credentials = account is null ? new CssmCredentials(ProbeClientId, "-") : secrets.CredentialsOf(account);
        using var request = new HttpRequestMessage(HttpMethod.Post, route.TokenUrl)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = credentials.ClientId,
                ["client_secret"] = credentials.ClientSecret,
            }),
        };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.AttemptTimeout);
        try
        {
            using var response = await CssmRoutingHandler.SendAsync(handlers, route, request, timeout.Token);
            if (response.IsSuccessStatusCode || (account is null && response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized))
            {
                return null;
            }

            return RouteFailure.FromStatus(response.StatusCode, route, route.TokenUrl) ?? new RouteFailure(RouteFailure.CssmRefused, "CSSM refused the call",
                $"the token endpoint {route.TokenUrl.GetLeftPart(UriPartial.Path)} answered HTTP {(int)response.StatusCode} {response.ReasonPhrase} to API client {credentials.ClientId} {route.Describe()}");
        }
        catch (Exception exception) when (exception is HttpRequestException || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return RouteFailure.FromException(exception, route, route.TokenUrl)
                ?? new RouteFailure(RouteFailure.CssmUnreachable, "CSSM cannot be reached", $"{route.TokenUrl.GetLeftPart(UriPartial.Authority)} {route.Describe()}: {exception.Message}");
        }
    }
}
