using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using HcsLicensing.SmartAccountSync.Transport;
using Microsoft.Extensions.Options;

namespace HcsLicensing.SmartAccountSync.Cssm;

/// <summary>
/// One bearer token per API client, reused until shortly before it expires (a margin, at most half its life), then
/// renewed by the first caller while the others wait for it. Keyed by a hash of client id, secret and the route (token
/// URL and proxy), so new credentials never get an old token, a changed route authenticates again through itself, and
/// the secret itself is not kept as a key.
/// </summary>
public sealed class BearerTokenCache(ICssmTokenApi tokens, CssmRouteSource routes, IOptions<CssmOptions> options, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>A valid bearer token for these credentials, from the cache or fresh from the token endpoint.</summary>
    public async Task<string> GetAsync(CssmCredentials credentials, CancellationToken cancellationToken)
    {
        var key = await KeyAsync(credentials, cancellationToken);
        var entry = _entries.GetOrAdd(key, _ => new Entry());
        if (entry.Token is { } cached && clock.GetUtcNow() < cached.RenewAt)
        {
            return cached.Value;
        }

        await entry.Gate.WaitAsync(cancellationToken);
        try
        {
            if (entry.Token is { } renewed && clock.GetUtcNow() < renewed.RenewAt)
            {
                return renewed.Value;
            }

            var token = await RequestAsync(credentials, cancellationToken);
            return token.AccessToken;
        }
        finally
        {
            entry.Gate.Release();
        }
    }

    /// <summary>Drops <paramref name="rejected"/> (CSSM answered 401 to it) unless another caller already replaced it.</summary>
    public async Task InvalidateAsync(CssmCredentials credentials, string rejected, CancellationToken cancellationToken)
    {
        if (_entries.TryGetValue(await KeyAsync(credentials, cancellationToken), out var entry) && entry.Token?.Value == rejected)
        {
            entry.Token = null;
        }
    }

    /// <summary>Asks the token endpoint, bypassing the cache; the new token is cached. Throws <see cref="CssmAuthenticationException"/> on 400/401.</summary>
    public async Task<CssmAccessToken> RequestAsync(CssmCredentials credentials, CancellationToken cancellationToken)
    {
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = credentials.ClientId,
            ["client_secret"] = credentials.ClientSecret,
        };
        var key = await KeyAsync(credentials, cancellationToken);
        using var response = await tokens.RequestTokenAsync(form, credentials, cancellationToken);
        if (response.IsSuccessfulWithContent && response.Content is { } token)
        {
            _entries.GetOrAdd(key, _ => new Entry()).Token = Cache(token);
            return token;
        }

        if (response.HasResponseError(out var refused) && refused.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized)
        {
            var error = ReadError(refused.Content);
            throw new CssmAuthenticationException((int)refused.StatusCode, error?.Error, error?.ErrorDescription);
        }

        throw (Exception?)response.Error ?? new HttpRequestException($"the token endpoint answered HTTP {response.StatusCode} without a token");
    }

    private CachedToken Cache(CssmAccessToken token)
    {
        var lifetime = TimeSpan.FromSeconds(Math.Max(1, token.ExpiresIn));
        var margin = options.Value.TokenRefreshMargin < lifetime / 2 ? options.Value.TokenRefreshMargin : lifetime / 2;
        return new CachedToken(token.AccessToken, clock.GetUtcNow() + lifetime - margin);
    }

    private static CssmOAuthError? ReadError(string? body)
    {
        try
        {
            return string.IsNullOrWhiteSpace(body) ? null : System.Text.Json.JsonSerializer.Deserialize<CssmOAuthError>(body);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private async Task<string> KeyAsync(CssmCredentials credentials, CancellationToken cancellationToken)
    {
        var route = await routes.GetAsync(credentials.SmartAccountDomain, cancellationToken);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(
            $"{credentials.ClientId}\n{credentials.ClientSecret}\n{route.TokenUrl}\n{route.Describe()}\n{route.Proxy?.User}")));
    }

    private sealed class Entry
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public volatile CachedToken? Token;
    }

    private sealed record CachedToken(string Value, DateTimeOffset RenewAt);
}
