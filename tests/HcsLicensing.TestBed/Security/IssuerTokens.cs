using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using HcsLicensing.ServiceDefaults.Security;

namespace HcsLicensing.TestBed.Security;

/// <summary>
/// Access tokens from the suite's issuer by the client credentials grant, one per set of permissions, reused until
/// shortly before they expire. A test asks for exactly the permissions it means to use (none, one, or all three).
/// </summary>
public sealed class IssuerTokens(Func<Uri> issuer, string clientId, string clientSecret) : IDisposable
{
    private static readonly TimeSpan RenewBefore = TimeSpan.FromMinutes(5);
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly ConcurrentDictionary<string, Lazy<Task<(string Token, DateTimeOffset Expires)>>> _tokens = new();

    /// <summary>Where the issuer listens (its Authority).</summary>
    public Uri Issuer => issuer();

    /// <summary>An access token granting <paramref name="permissions"/> (hcs.read, hcs.operate, hcs.admin); none gives a token without any.</summary>
    public async Task<string> GetAsync(params IEnumerable<string> permissions)
    {
        var scope = string.Join(' ', permissions.Distinct().Order(StringComparer.Ordinal));
        while (true)
        {
            var entry = _tokens.GetOrAdd(scope, s => new Lazy<Task<(string, DateTimeOffset)>>(() => RequestAsync(s)));
            try
            {
                var (token, expires) = await entry.Value;
                if (expires - DateTimeOffset.UtcNow > RenewBefore)
                {
                    return token;
                }
            }
            catch
            {
                _tokens.TryRemove(new KeyValuePair<string, Lazy<Task<(string, DateTimeOffset)>>>(scope, entry));
                throw;
            }

            _tokens.TryRemove(new KeyValuePair<string, Lazy<Task<(string, DateTimeOffset)>>>(scope, entry));
        }
    }

    /// <summary>A handler that sends every request with a token of <paramref name="permissions"/> (for HttpClient or WebApplicationFactory).</summary>
    public DelegatingHandler CreateHandler(params IEnumerable<string> permissions) => new BearerHandler(this, [.. permissions]);

    /// <summary>A handler whose token has all three permissions: what the tests' default clients use.</summary>
    public DelegatingHandler CreateHandler() => CreateHandler(HcsPermissions.All);

    public void Dispose() => _http.Dispose();

    private async Task<(string, DateTimeOffset)> RequestAsync(string scope)
    {
        var form = new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = clientSecret };
        if (scope.Length > 0)
        {
            form["scope"] = scope;
        }

        // Not part of what a test observes: a tracing test sees only the requests the token goes with.
        using var untraced = OpenTelemetry.SuppressInstrumentationScope.Begin();
        using var response = await _http.PostAsync(new Uri(Issuer, "connect/token"), new FormUrlEncodedContent(form));
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"the issuer refused a token for [{scope}]: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        var answer = (await response.Content.ReadFromJsonAsync<TokenResponse>())!;
        return (answer.AccessToken, DateTimeOffset.UtcNow.AddSeconds(answer.ExpiresIn));
    }

    private sealed record TokenResponse([property: JsonPropertyName("access_token")] string AccessToken, [property: JsonPropertyName("expires_in")] int ExpiresIn);

    private sealed class BearerHandler(IssuerTokens tokens, string[] permissions) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Authorization ??= new AuthenticationHeaderValue("Bearer", await tokens.GetAsync(permissions));
            return await base.SendAsync(request, cancellationToken);
        }
    }
}
