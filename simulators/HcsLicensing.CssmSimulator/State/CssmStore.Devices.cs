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

    private SimVirtualAccount? FindLocked(string domain, string virtualAccount) =>
        _accounts.TryGetValue(domain, out var account) ? account.VirtualAccounts.GetValueOrDefault(virtualAccount) : null;
}

/// <summary>The outcome of a device registration: the instance, or why it was refused.</summary>
public sealed record DeviceRegistration(SimProductInstance? Instance, string? Error)
{
    public static DeviceRegistration Registered(SimProductInstance instance) => new(instance, null);

    public static DeviceRegistration Refused(string error) => new(null, error);
}
