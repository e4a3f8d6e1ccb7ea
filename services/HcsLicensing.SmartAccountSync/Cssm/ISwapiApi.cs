using Refit;

namespace HcsLicensing.SmartAccountSync.Cssm;

/// <summary>
/// The swapi calls SmartAccountSync makes. Every call carries the smart account's credentials as a request option
/// (never a header or the URL): <see cref="BearerTokenHandler"/> swaps them for a cached bearer token.
/// </summary>
public interface ISwapiApi
{
    public const string CredentialsOption = "hcs.cssm.credentials";

    [Get("/v2/accounts")]
    Task<SwapiAccounts> GetAccountsAsync([Property(CredentialsOption)] CssmCredentials credentials, CancellationToken cancellationToken);

    [Get("/v1/accounts/{domain}/{accountType}/virtual-accounts")]
    Task<SwapiVirtualAccounts> GetVirtualAccountsAsync(string domain, string accountType, [Property(CredentialsOption)] CssmCredentials credentials, CancellationToken cancellationToken);

    [Get("/v1/accounts/{domain}/virtual-accounts/{virtualAccount}/tokens")]
    Task<SwapiTokens> GetTokensAsync(string domain, string virtualAccount, [Property(CredentialsOption)] CssmCredentials credentials, CancellationToken cancellationToken);

    [Post("/v1/accounts/{domain}/virtual-accounts/{virtualAccount}/tokens")]
    Task<SwapiCreatedToken> CreateTokenAsync(string domain, string virtualAccount, [Body] SwapiNewToken token, [Property(CredentialsOption)] CssmCredentials credentials, CancellationToken cancellationToken);

    /// <summary>A page of the license usage report. A POST that only reads: the client retries it like a GET.</summary>
    [Post("/v1/accounts/{domain}/licenses")]
    Task<SwapiLicenses> GetLicensesAsync(string domain, [Body] SwapiLicensesQuery query, [Property(CredentialsOption)] CssmCredentials credentials, CancellationToken cancellationToken);

    /// <summary>
    /// A page of the product instances (swapi's "devices") of some VAs, all when none named. The path and fields are
    /// inferred (docs/cssm-simulator.md): this method and its models are all that changes once Cisco's are known. A POST
    /// that only reads: retried like a GET.
    /// </summary>
    [Post("/v1/accounts/{domain}/devices")]
    Task<SwapiDevices> SearchProductInstancesAsync(string domain, [Body] SwapiDevicesQuery query, [Property(CredentialsOption)] CssmCredentials credentials, CancellationToken cancellationToken);
}
