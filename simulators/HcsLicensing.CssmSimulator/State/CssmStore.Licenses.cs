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
            // Only the page's lines are built: a client reading 30,000 lines 1,000 at a time must not make the simulator
            // build all 30,000 for each page (the VA sync benchmark reads them all).
            var total = 0;
            var page = new List<SimLicenseUsage>();
            foreach (var va in account.Ordered.Where(va => wanted is null || wanted.Contains(va.Name)))
            {
                var ofVa = consumed.GetValueOrDefault(va.Name) ?? Unconsumed;
                var count = va.Licenses.Count + Unbought(va, ofVa).Count();
                if (total + count > offset && total < offset + limit)
                {
                    page.AddRange(LinesOf(va, ofVa, today).Skip(Math.Max(0, offset - total)).Take(limit - page.Count));
                }

                total += count;
            }

            return (total, page);
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

    private static readonly Dictionary<string, int> Unconsumed = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Units in use through registrations, by VA and license, over the account's product instances.</summary>
    private Dictionary<string, Dictionary<string, int>> ConsumedLocked(string domain)
    {
        var consumed = new Dictionary<string, Dictionary<string, int>>(StringComparer.OrdinalIgnoreCase);
        foreach (var instance in _instances.Values.Where(i => string.Equals(i.Domain, domain, StringComparison.OrdinalIgnoreCase)))
        {
            if (Consumption.LicenseOf(instance.ProductType) is { } license)
            {
                var ofVa = consumed.TryGetValue(instance.VirtualAccount, out var found) ? found : consumed[instance.VirtualAccount] = new(StringComparer.OrdinalIgnoreCase);
                ofVa[license] = ofVa.GetValueOrDefault(license) + Consumption.UnitsPerRegistration;
            }
        }

        return consumed;
    }

    /// <summary>The licenses a VA's product instances consume that the VA never bought.</summary>
    private static IEnumerable<string> Unbought(SimVirtualAccount va, Dictionary<string, int> consumed) =>
        consumed.Keys.Where(license => !va.Licenses.Exists(l => string.Equals(l.License, license, StringComparison.OrdinalIgnoreCase)));

    /// <summary>
    /// A VA's lines: its licenses in order, then, as CSSM shows usage nobody bought, a line of quantity 0 for each license
    /// its product instances consume that it does not hold.
    /// </summary>
    private static List<SimLicenseUsage> LinesOf(SimVirtualAccount va, Dictionary<string, int> consumed, DateOnly today)
    {
        var unbought = Unbought(va, consumed).Select(license => new SimLicense(license, "PREPAID", 0, 0, 0, [])).OrderBy(l => l.License, StringComparer.Ordinal);
        return [.. va.Licenses.Concat(unbought).Select(license => new SimLicenseUsage(va.Name, license, license.BaseInUse + consumed.GetValueOrDefault(license.License), today))];
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
