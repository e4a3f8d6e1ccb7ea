using Refit;

namespace HcsLicensing.SmartAccountSync.Cssm;

/// <summary>Cisco's OAuth2 token endpoint. The HttpClient's base address is the whole token URL, hence the empty path.</summary>
public interface ICssmTokenApi
{
    [Post("")]
    Task<IApiResponse<CssmAccessToken>> RequestTokenAsync([Body(BodySerializationMethod.UrlEncoded)] Dictionary<string, string> form, CancellationToken cancellationToken);
}
