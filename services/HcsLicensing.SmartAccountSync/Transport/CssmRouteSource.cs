using System.Collections.Concurrent;
using HcsLicensing.SmartAccountSync.Cssm;
using HcsLicensing.SmartAccountSync.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HcsLicensing.SmartAccountSync.Transport;

/// <summary>
/// The route of a smart account's CSSM calls: its own transport settings, else the default ones, else (nothing saved
/// yet) Direct to the configured URLs. Read from the database and kept for <see cref="CssmOptions.TransportRefresh"/>,
/// so that every replica follows a save within that time without asking the database on every call; the replica that
/// saved forgets at once.
/// </summary>
public sealed class CssmRouteSource(IServiceScopeFactory scopes, IServiceProvider services, IOptions<CssmOptions> options, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, Cached> _routes = new(StringComparer.Ordinal);

    /// <summary>The route for <paramref name="smartAccountDomain"/>, or the default route when null.</summary>
    public async Task<CssmRoute> GetAsync(string? smartAccountDomain, CancellationToken cancellationToken)
    {
        var key = smartAccountDomain?.Trim().ToLowerInvariant() ?? "";
        if (_routes.TryGetValue(key, out var cached) && clock.GetUtcNow() < cached.FreshUntil)
        {
            return cached.Route;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SmartAccountSyncDbContext>();
        var saved = await FindAsync(db, key, cancellationToken);
        var route = saved is null ? Configured(options.Value) : RouteOf(saved);
        _routes[key] = new Cached(route, clock.GetUtcNow() + options.Value.TransportRefresh);
        return route;
    }

    /// <summary>Called after a save: this replica's next call reads the new settings.</summary>
    public void Forget() => _routes.Clear();

    /// <summary>The smart account's own settings when it has some, else the default ones; null when nothing was saved.</summary>
    public static async Task<TransportRouteSettings?> FindAsync(SmartAccountSyncDbContext db, string smartAccountDomain, CancellationToken cancellationToken) =>
        (smartAccountDomain.Length == 0 ? null : await db.SmartAccountTransportSettings.AsNoTracking().SingleOrDefaultAsync(s => s.Domain == smartAccountDomain, cancellationToken))
        ?? (TransportRouteSettings?)await db.TransportSettings.AsNoTracking().SingleOrDefaultAsync(cancellationToken);

    /// <summary>The route saved settings describe, the proxy password decrypted.</summary>
    public CssmRoute RouteOf(TransportRouteSettings settings)
    {
        var proxy = settings.Mode == TransportSettingsDto.Proxy && settings.ProxyHost is { } host && settings.ProxyPort is { } port
            ? new CssmProxy(host, port, settings.ProxyUser, settings.ProtectedProxyPassword is { } secret ? Passwords.Unprotect(secret) : null)
            : null;
        return new CssmRoute(new Uri(settings.AuthenticationGateway), new Uri(settings.CssmServer), proxy);
    }

    /// <summary>Asked for only when a password is saved: the CSSM clients alone (a benchmark) need no key ring.</summary>
    private ProxyPasswordProtector Passwords => services.GetRequiredService<ProxyPasswordProtector>();

    /// <summary>Before any save: Direct to the configured token URL and swapi.</summary>
    public static CssmRoute Configured(CssmOptions cssm) => new(cssm.TokenUrl, cssm.SwapiBaseUrl, null);

    private sealed record Cached(CssmRoute Route, DateTimeOffset FreshUntil);
}
