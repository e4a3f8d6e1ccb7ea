using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace HcsLicensing.SmartAccountSync.Cssm;

/// <summary>
/// One pooled <see cref="SocketsHttpHandler"/> per distinct way out (direct, or each proxy with its credentials),
/// created the first time a route needs it and reused by every later call on it. A changed route gets a handler of its
/// own, so calls in flight finish on the old one; HTTPS through a proxy is HttpClient's own CONNECT tunnel.
/// </summary>
public sealed class CssmRouteHandlers(IOptions<CssmOptions> options) : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<HttpMessageInvoker>> _invokers = new(StringComparer.Ordinal);
    private readonly X509Certificate2Collection? _trustedAuthorities = TrustedAuthorities(options.Value.CaCertificatePath);

    /// <summary>The invoker (over the shared handler) for calls through <paramref name="proxy"/>, or direct when null.</summary>
    public HttpMessageInvoker For(CssmProxy? proxy) =>
        _invokers.GetOrAdd(Key(proxy), _ => new Lazy<HttpMessageInvoker>(() => new HttpMessageInvoker(Create(proxy), disposeHandler: true))).Value;

    public void Dispose()
    {
        foreach (var invoker in _invokers.Values.Where(i => i.IsValueCreated))
        {
            invoker.Value.Dispose();
        }
    }

    private SocketsHttpHandler Create(CssmProxy? proxy) => new()
    {
        // Direct means direct: no HTTP_PROXY from the environment either.
        UseProxy = proxy is not null,
        Proxy = proxy is null ? null : new WebProxy(proxy.Address)
        {
            // CSSM is never local in production; in the tests it is, and it must still go through the proxy.
            BypassProxyOnLocal = false,
            Credentials = proxy.User is null ? null : new NetworkCredential(proxy.User, proxy.Password),
        },
        // DNS changes of CSSM's or the proxy's address are picked up by new connections.
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
        SslOptions = new SslClientAuthenticationOptions { CertificateChainPolicy = ChainPolicy() },
    };

    /// <summary>Only the configured CA, when there is one; else null: the OS trust store.</summary>
    private X509ChainPolicy? ChainPolicy()
    {
        if (_trustedAuthorities is null)
        {
            return null;
        }

        // Private CAs seldom publish a CRL.
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.AddRange(_trustedAuthorities);
        return policy;
    }

    /// <summary>The configured CA's certificates; throws (the service does not start) for a file that cannot be read.</summary>
    private static X509Certificate2Collection? TrustedAuthorities(string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return null;
        }

        var authorities = new X509Certificate2Collection();
        authorities.ImportFromPemFile(path);
        return authorities.Count > 0 ? authorities : throw new InvalidOperationException($"Cssm:CaCertificatePath {path} holds no PEM certificate");
    }

    /// <summary>The route's identity: the proxy, its user and a hash of its password (the password itself is not kept as a key).</summary>
    private static string Key(CssmProxy? proxy) => proxy is null
        ? "direct"
        : $"proxy\n{proxy.Host.ToLowerInvariant()}\n{proxy.Port}\n{proxy.User}\n{Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(proxy.Password ?? "")))}";
}
