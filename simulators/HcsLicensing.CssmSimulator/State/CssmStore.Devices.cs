using System.Security.Cryptography;

namespace HcsLicensing.CssmSimulator.State;

/// <summary>Registration tokens and the product instances (UC applications) registered with them.</summary>
public sealed partial class CssmStore
{
    private readonly Dictionary<string, SimRegistrationToken> _registrationTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, SimProductInstance> _instances = [];

    /// <summary>The tokens of a virtual account (expired ones included, as CSSM lists them); null if the VA is unknown.</summary>
    public IReadOnlyList<SimRegistrationToken>? RegistrationTokens(string domain, string virtualAccount)
    {
        lock (_gate)
        {
            return FindLocked(domain, virtualAccount) is { } va ? [.. va.Tokens] : null;
        }
    }

    public IReadOnlyList<SimRegistrationToken> AllRegistrationTokens()
    {
        lock (_gate)
        {
            return [.. _registrationTokens.Values.OrderBy(t => t.CreatedAt)];
        }
    }

    /// <summary>Creates a token valid for <paramref name="days"/> days; null if the VA is unknown.</summary>
    public SimRegistrationToken? CreateRegistrationToken(string domain, string virtualAccount, string description, int days, string exportControlled, string createdBy)
    {
        lock (_gate)
        {
            if (FindLocked(domain, virtualAccount) is not { } va)
            {
                return null;
            }

            var now = Clock.GetUtcNow();
            // Real tokens are long opaque base64 strings with URL-escaped line breaks; the shape is kept, the content is random.
            var value = $"{Convert.ToBase64String(RandomNumberGenerator.GetBytes(48))}%0A{Convert.ToBase64String(RandomNumberGenerator.GetBytes(24))}";
            var token = new SimRegistrationToken(value, domain, va.Name, description, createdBy, now, now.AddDays(days), exportControlled);
            va.Tokens.Add(token);
            _registrationTokens.Add(value, token);
            return token;
        }
    }

    /// <summary>
    /// A UC application registers with an ID token. A known productInstanceName is moved into the token's virtual
    /// account and keeps its id (a re-registration); an unknown or expired token is refused.
    /// </summary>
    public DeviceRegistration Register(string idToken, string productInstanceName, string productType, string version)
    {
        lock (_gate)
        {
            if (!_registrationTokens.TryGetValue(idToken, out var token) || FindLocked(token.Domain, token.VirtualAccount) is null)
            {
                return DeviceRegistration.Refused("The ID token is not valid");
            }

            if (token.ExpiresAt <= Clock.GetUtcNow())
            {
                return DeviceRegistration.Refused($"The ID token expired at {token.ExpiresAt:O}");
            }

            var existing = _instances.Values.FirstOrDefault(i => string.Equals(i.ProductInstanceName, productInstanceName, StringComparison.OrdinalIgnoreCase));
            var instance = new SimProductInstance(
                existing?.ProductInstanceId ?? Guid.NewGuid(), productInstanceName, productType, version, token.Domain, token.VirtualAccount, Clock.GetUtcNow());
            _instances[instance.ProductInstanceId] = instance;
            return DeviceRegistration.Registered(instance);
        }
    }

    public bool Deregister(Guid productInstanceId)
    {
        lock (_gate)
        {
            return _instances.Remove(productInstanceId);
        }
    }

    /// <summary>The product instances of a virtual account; null if the VA is unknown.</summary>
    public IReadOnlyList<SimProductInstance>? ProductInstances(string domain, string virtualAccount)
    {
        lock (_gate)
        {
            if (FindLocked(domain, virtualAccount) is not { } va)
            {
                return null;
            }

            return [.. _instances.Values
                .Where(i => string.Equals(i.Domain, domain, StringComparison.OrdinalIgnoreCase) && string.Equals(i.VirtualAccount, va.Name, StringComparison.OrdinalIgnoreCase))
                .OrderBy(i => i.RegisteredAt)];
        }
    }

    /// <summary>
    /// A page of the product instances of some VAs of a smart account (all VAs when none named), in VA order, then by
    /// registration; null if the smart account is unknown.
    /// </summary>
    public (int Total, IReadOnlyList<SimProductInstance> Page)? ProductInstancesPage(string domain, IReadOnlyCollection<string> names, int offset, int limit)
    {
        lock (_gate)
        {
            if (!_accounts.TryGetValue(domain, out var account))
            {
                return null;
            }

            var wanted = names.Count == 0 ? null : new HashSet<string>(names, StringComparer.OrdinalIgnoreCase);
            var order = account.Ordered.Select((va, index) => (va.Name, index)).ToDictionary(v => v.Name, v => v.index, StringComparer.OrdinalIgnoreCase);
            var all = _instances.Values
                .Where(i => string.Equals(i.Domain, domain, StringComparison.OrdinalIgnoreCase) && order.ContainsKey(i.VirtualAccount)
                    && (wanted is null || wanted.Contains(i.VirtualAccount)))
                .OrderBy(i => order[i.VirtualAccount]).ThenBy(i => i.RegisteredAt).ThenBy(i => i.ProductInstanceId)
                .ToList();
            return (all.Count, [.. all.Skip(offset).Take(limit)]);
        }
    }

    /// <summary>
    /// An admin moves a product instance to another VA of its smart account in CSSM's portal (the UC application is not
    /// told); null if the instance or the VA is unknown.
    /// </summary>
    public SimProductInstance? MoveProductInstance(Guid productInstanceId, string virtualAccount)
    {
        lock (_gate)
        {
            if (!_instances.TryGetValue(productInstanceId, out var instance) || FindLocked(instance.Domain, virtualAccount) is not { } va)
            {
                return null;
            }

            var moved = instance with { VirtualAccount = va.Name };
            _instances[productInstanceId] = moved;
            return moved;
        }
    }

    /// <summary>
    /// A product instance that registered without us (by hand, from a restored backup): always a new instance, even
    /// when one of that name is listed already, which is how a cluster comes to be listed twice. Null if the VA is unknown.
    /// </summary>
    public SimProductInstance? AddProductInstance(string domain, string virtualAccount, string productInstanceName, string productType, string version)
    {
        lock (_gate)
        {
            if (FindLocked(domain, virtualAccount) is not { } va)
            {
                return null;
            }

            var instance = new SimProductInstance(Guid.NewGuid(), productInstanceName, productType, version, _accounts[domain].Domain, va.Name, Clock.GetUtcNow());
            _instances[instance.ProductInstanceId] = instance;
            return instance;
        }
    }

    /// <summary>Sets when a product instance last contacted CSSM (an instance gone quiet); null if it is unknown.</summary>
    public SimProductInstance? SetLastContact(Guid productInstanceId, DateTimeOffset lastContactAt)
    {
        lock (_gate)
        {
            if (!_instances.TryGetValue(productInstanceId, out var instance))
            {
                return null;
            }

            var quiet = instance with { LastContactAt = lastContactAt };
            _instances[productInstanceId] = quiet;
            return quiet;
        }
    }

    private SimVirtualAccount? FindLocked(string domain, string virtualAccount) =>
        _accounts.TryGetValue(domain, out var account) ? account.VirtualAccounts.GetValueOrDefault(virtualAccount) : null;
}

/// <summary>The outcome of a device registration: the instance, or why it was refused.</summary>
public sealed record DeviceRegistration(SimProductInstance? Instance, string? Error)
{
    public static DeviceRegistration Registered(SimProductInstance instance) => new(instance, null);

    public static DeviceRegistration Refused(string error) => new(null, error);
}
