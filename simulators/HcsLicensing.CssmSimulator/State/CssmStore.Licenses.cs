namespace HcsLicensing.CssmSimulator.State;

/// <summary>
/// The license usage report: each VA's licenses, with what its registered product instances consume added to their
/// in-use counts, so that registering a cluster moves the report as it does in CSSM.
/// </summary>
public sealed partial class CssmStore
{
    /// <summary>Which license a registered product instance of each type consumes, and how many of it.</summary>
    public LicenseConsumption Consumption { get; set; } = LicenseConsumption.None;

    /// <summary>One page of license lines of the named virtual accounts (all when none named), and the total; null if the account is unknown.</summary>
    public (int Total, IReadOnlyList<SimLicenseUsage> Page)? Licenses(string domain, IReadOnlyCollection<string> names, int offset, int limit)
    {
        lock (_gate)
        {
            if (!_accounts.TryGetValue(domain, out var account))
            {
                return null;
            }

            var wanted = names.Count == 0 ? null : new HashSet<string>(names, StringComparer.OrdinalIgnoreCase);
            var consumed = ConsumedLocked(domain);
            var today = DateOnly.FromDateTime(Clock.GetUtcNow().UtcDateTime);
            var lines = account.Ordered
                .Where(va => wanted is null || wanted.Contains(va.Name))
                .SelectMany(va => LinesOf(va, consumed, today))
                .ToList();
            return (lines.Count, lines.Skip(offset).Take(limit).ToList());
        }
    }

    /// <summary>Replaces a VA's licenses (what was bought and what is used outside the simulator); false if the VA is unknown.</summary>
    public bool SetLicenses(string domain, string virtualAccount, IReadOnlyList<SimLicense> licenses)
    {
        lock (_gate)
        {
            if (FindLocked(domain, virtualAccount) is not { } va)
            {
                return false;
            }

            va.Licenses.Clear();
            va.Licenses.AddRange(licenses);
            return true;
        }
    }

    /// <summary>Units in use through registrations, by (VA, license), over the account's product instances.</summary>
    private Dictionary<(string VirtualAccount, string License), int> ConsumedLocked(string domain)
    {
        var consumed = new Dictionary<(string, string), int>(VirtualAccountLicenseComparer.Instance);
        foreach (var instance in _instances.Values.Where(i => string.Equals(i.Domain, domain, StringComparison.OrdinalIgnoreCase)))
        {
            if (Consumption.LicenseOf(instance.ProductType) is { } license)
            {
                var key = (instance.VirtualAccount, license);
                consumed[key] = consumed.GetValueOrDefault(key) + Consumption.UnitsPerRegistration;
            }
        }

        return consumed;
    }

    /// <summary>
    /// A VA's lines: its licenses in order, then, as CSSM shows usage nobody bought, a line of quantity 0 for each license
    /// its product instances consume that it does not hold.
    /// </summary>
    private static IEnumerable<SimLicenseUsage> LinesOf(SimVirtualAccount va, Dictionary<(string VirtualAccount, string License), int> consumed, DateOnly today)
    {
        var held = new HashSet<string>(va.Licenses.Select(l => l.License), StringComparer.OrdinalIgnoreCase);
        var unbought = consumed.Keys
            .Where(k => string.Equals(k.VirtualAccount, va.Name, StringComparison.OrdinalIgnoreCase) && !held.Contains(k.License))
            .Select(k => new SimLicense(k.License, "PREPAID", 0, 0, 0, []))
            .OrderBy(l => l.License, StringComparer.Ordinal);
        foreach (var license in va.Licenses.Concat(unbought))
        {
            var inUse = license.BaseInUse + consumed.GetValueOrDefault((va.Name, license.License));
            yield return new SimLicenseUsage(va.Name, license, inUse, today);
        }
    }

    private sealed class VirtualAccountLicenseComparer : IEqualityComparer<(string VirtualAccount, string License)>
    {
        public static readonly VirtualAccountLicenseComparer Instance = new();

        public bool Equals((string VirtualAccount, string License) x, (string VirtualAccount, string License) y) =>
            StringComparer.OrdinalIgnoreCase.Equals(x.VirtualAccount, y.VirtualAccount) && StringComparer.OrdinalIgnoreCase.Equals(x.License, y.License);

        public int GetHashCode((string VirtualAccount, string License) key) =>
            HashCode.Combine(StringComparer.OrdinalIgnoreCase.GetHashCode(key.VirtualAccount), StringComparer.OrdinalIgnoreCase.GetHashCode(key.License));
    }
}

/// <summary>
/// A line of the report as read at <paramref name="Today"/>: purchased is what its unexpired subscriptions add up to,
/// the balance may go negative, and a shortfall is "Insufficient Licenses".
/// </summary>
public sealed record SimLicenseUsage(string VirtualAccount, SimLicense License, int InUse, DateOnly Today)
{
    public const string InCompliance = "In Compliance";
    public const string InsufficientLicenses = "Insufficient Licenses";
    public const string Active = "ACTIVE";
    public const string Expired = "EXPIRED";

    public int Quantity => License.Subscriptions.Where(s => StatusOf(s) == Active).Sum(s => s.Quantity);

    public int Available => Quantity - InUse;

    public string Status => InUse > Quantity ? InsufficientLicenses : InCompliance;

    public string StatusOf(SimSubscription subscription) => subscription.EndDate is { } end && end < Today ? Expired : Active;
}

/// <summary>What a registered product instance consumes: the license named for its product type (none for others), so many units.</summary>
public sealed record LicenseConsumption(IReadOnlyDictionary<string, string> LicenseByProductType, int UnitsPerRegistration)
{
    public static readonly LicenseConsumption None = new(new Dictionary<string, string>(), 0);

    public string? LicenseOf(string productType) =>
        UnitsPerRegistration > 0 && LicenseByProductType.TryGetValue(productType, out var license) && !string.IsNullOrWhiteSpace(license) ? license : null;
}
