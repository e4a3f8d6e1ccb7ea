using System.Net;
using System.Net.Http.Headers;

namespace HcsLicensing.SmartAccountSync.Cssm;

/// <summary>
/// Puts the smart account's bearer token on each swapi request, taking the credentials from the request's options.
/// A 401 means the token was revoked or expired early: the handler gets a fresh one and tries once more; a second
/// 401 is CSSM's answer. Sits inside the resilience handler, so every retry attempt is authorized too.
/// </summary>
public sealed class BearerTokenHandler(BearerTokenCache cache) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!((IDictionary<string, object?>)request.Options).TryGetValue(ISwapiApi.CredentialsOption, out var value) || value is not CssmCredentials credentials)
        {
            throw new InvalidOperationException($"swapi request {request.Method} {request.RequestUri?.AbsolutePath} carries no smart account credentials");
        }

        var token = await cache.GetAsync(credentials, cancellationToken);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }

        response.Dispose();
        await cache.InvalidateAsync(credentials, token, cancellationToken);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await cache.GetAsync(credentials, cancellationToken));
        return await base.SendAsync(request, cancellationToken);
    }
}
