using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Serialization;

namespace HcsLicensing.AppHost.Demo;

/// <summary>
/// Puts a token of the suite's issuer on every demo request, fetched with the client credentials grant (as README's
/// curl line does) and reused until a minute before it expires.
/// </summary>
internal sealed class DemoTokenHandler(DemoOptions options, DemoEndpoints endpoints, IHttpClientFactory httpClients) : DelegatingHandler
{
    public const string HttpClientName = "demo-token";

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static (string Token, DateTimeOffset Expires)? _current;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(cancellationToken));
        return await base.SendAsync(request, cancellationToken);
    }

    private async Task<string> TokenAsync(CancellationToken cancellationToken)
    {
        await Gate.WaitAsync(cancellationToken);
        try
        {
            if (_current is { } current && current.Expires > DateTimeOffset.UtcNow.AddMinutes(1))
            {
                return current.Token;
            }

            using var http = httpClients.CreateClient(HttpClientName);
            using var response = await http.PostAsync(
                new Uri(endpoints.Identity.Url.TrimEnd('/') + "/connect/token"),
                new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["grant_type"] = "client_credentials",
                    ["client_id"] = options.ApiClientId,
                    ["client_secret"] = options.ApiClientSecret,
                    ["scope"] = "hcs.read hcs.operate hcs.admin",
                }),
                cancellationToken);
            response.EnsureSuccessStatusCode();
            var answer = (await response.Content.ReadFromJsonAsync<TokenAnswer>(cancellationToken))!;
            _current = (answer.AccessToken, DateTimeOffset.UtcNow.AddSeconds(answer.ExpiresIn));
            return answer.AccessToken;
        }
        finally
        {
            Gate.Release();
        }
    }

    private sealed record TokenAnswer([property: JsonPropertyName("access_token")] string AccessToken, [property: JsonPropertyName("expires_in")] int ExpiresIn);
}
