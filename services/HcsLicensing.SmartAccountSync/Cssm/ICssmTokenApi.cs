using Refit;

namespace HcsLicensing.SmartAccountSync.Cssm;

/// <summary>
/// Cisco's OAuth2 token endpoint. The request goes to the route's whole token URL (<see cref="CssmRoutingHandler"/>),
/// hence the empty path; the credentials ride along as a request option only to name the smart account's route.
/// </summary>
public interface ICssmTokenApi
{
    [Post("")]
    Task<IApiResponse<CssmAccessToken>> RequestTokenAsync(
        [Body(BodySerializationMethod.UrlEncoded)] Dictionary<string, string> form, [Property(ISwapiApi.CredentialsOption)] CssmCredentials credentials, CancellationToken cancellationToken);
}
