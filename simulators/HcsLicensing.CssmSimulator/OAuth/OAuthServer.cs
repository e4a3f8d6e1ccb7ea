using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using HcsLicensing.CssmSimulator.State;

namespace HcsLicensing.CssmSimulator.OAuth;

/// <summary>
/// Cloud SSO's part: the registered API clients, the bearer tokens issued to them, and how long those live.
/// Tokens are opaque random strings remembered here, so the simulator can expire or revoke them at will.
/// </summary>
public sealed class OAuthServer(SimulatedClock clock)
{
    private readonly ConcurrentDictionary<string, (string Secret, HashSet<string> Domains)> _clients = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SimAccessToken> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _issuedPerClient = new(StringComparer.Ordinal);
    private int _lifetimeSeconds = 3599;
    private int _rejectedBearers;

    /// <summary>expires_in of the tokens issued from now on.</summary>
    public int TokenLifetimeSeconds
    {
        get => Volatile.Read(ref _lifetimeSeconds);
        set => Volatile.Write(ref _lifetimeSeconds, Math.Max(1, value));
    }

    /// <summary>How many swapi calls were refused for a missing, unknown, expired or revoked bearer token.</summary>
    public int RejectedBearers => Volatile.Read(ref _rejectedBearers);

    public IReadOnlyDictionary<string, int> IssuedPerClient => new Dictionary<string, int>(_issuedPerClient);

    public void AddClient(string clientId, string secret, string domain)
    {
        var entry = _clients.GetOrAdd(clientId, _ => (secret, new HashSet<string>(StringComparer.OrdinalIgnoreCase)));
        lock (entry.Domains)
        {
            entry.Domains.Add(domain);
        }
    }

    /// <summary>Checks client credentials in constant time (as a real server must) and issues a token, or says why not.</summary>
    public (SimAccessToken? Token, string? Error) Issue(string clientId, string clientSecret)
    {
        if (!_clients.TryGetValue(clientId, out var client) ||
            !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(client.Secret), Encoding.UTF8.GetBytes(clientSecret)))
        {
            return (null, "Invalid client or Invalid client credentials");
        }

        var token = new SimAccessToken(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), clientId, clock.GetUtcNow().AddSeconds(TokenLifetimeSeconds));
        _tokens[token.Token] = token;
        _issuedPerClient.AddOrUpdate(clientId, 1, (_, n) => n + 1);
        return (token, null);
    }

    /// <summary>The client behind an Authorization header, or the OAuth error description for a 401.</summary>
    public (string? ClientId, string? Error) Authenticate(string? authorization)
    {
        string? error;
        if (authorization is null || !authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            error = "Bearer token required";
        }
        else if (!_tokens.TryGetValue(authorization["Bearer ".Length..].Trim(), out var token))
        {
            error = "The access token is invalid or was revoked";
        }
        else if (token.ExpiresAt <= clock.GetUtcNow())
        {
            error = "The access token expired";
        }
        else
        {
            return (token.ClientId, null);
        }

        Interlocked.Increment(ref _rejectedBearers);
        return (null, error);
    }

    /// <summary>The smart account domains a client may act on.</summary>
    public IReadOnlySet<string> DomainsOf(string clientId)
    {
        if (!_clients.TryGetValue(clientId, out var client))
        {
            return new HashSet<string>();
        }

        lock (client.Domains)
        {
            return new HashSet<string>(client.Domains, StringComparer.OrdinalIgnoreCase);
        }
    }

    /// <summary>Forgets every issued token: the next swapi call with one answers 401 (tests of the refresh on 401).</summary>
    public int RevokeAll()
    {
        var count = _tokens.Count;
        _tokens.Clear();
        return count;
    }
}
