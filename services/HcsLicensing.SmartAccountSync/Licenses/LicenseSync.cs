using System.Globalization;
using HcsLicensing.SmartAccountSync.Cssm;
using HcsLicensing.SmartAccountSync.SmartAccounts;
using Microsoft.Extensions.Options;

namespace HcsLicensing.SmartAccountSync.Licenses;

/// <summary>
/// The license part of a sync: reads CSSM's license usage report of the whole smart account page by page
/// (<see cref="LicenseLineStore"/> then writes what changed in the sync's transaction).
/// </summary>
public sealed class LicenseSync(ISwapiApi swapi, IOptions<LicenseSyncOptions> options)
{
    /// <summary>
    /// Every license line of the smart account (one query for all VAs, paged by offset and limit), of the VAs kept
    /// (<paramref name="virtualAccounts"/>: satellite-synced ones are left out, as their VAs are). The first page gives
    /// totalRecords; the rest are read <see cref="LicenseSyncOptions.ConcurrentPages"/> at a time, since 10,000 VAs
    /// are about 30 pages and one after the other they took seconds.
    /// </summary>
    public async Task<IReadOnlyList<LicenseLine>> FetchAsync(
        SmartAccount account, CssmCredentials credentials, IReadOnlySet<string> virtualAccounts, CancellationToken cancellationToken)
    {
        var limit = Math.Clamp(options.Value.PageSize, 1, 10_000);
        var first = await swapi.GetLicensesAsync(account.Domain, new SwapiLicensesQuery([], limit, 0), credentials, cancellationToken);
        var pages = new SortedDictionary<int, IReadOnlyList<SwapiLicense>> { [0] = first.Licenses ?? [] };
        // An empty first page ends it too: a totalRecords that does not match the data must not page on.
        var offsets = pages[0].Count == 0 ? [] : Enumerable.Range(1, Math.Max(0, (first.TotalRecords - 1) / limit)).Select(page => page * limit);
        await Parallel.ForEachAsync(
            offsets,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Clamp(options.Value.ConcurrentPages, 1, 16), CancellationToken = cancellationToken },
            async (offset, token) =>
            {
                var page = await swapi.GetLicensesAsync(account.Domain, new SwapiLicensesQuery([], limit, offset), credentials, token);
                lock (pages)
                {
                    pages[offset] = page.Licenses ?? [];
                }
            });

        // CSSM may shift lines between pages while they are read; one line per VA and license.
        return [.. pages.Values
            .SelectMany(page => page)
            .Where(l => !string.IsNullOrWhiteSpace(l.License) && l.VirtualAccount is { } va && virtualAccounts.Contains(va))
            .Select(ToLine)
            .DistinctBy(l => (l.VirtualAccount, l.License))];
    }

    private static LicenseLine ToLine(SwapiLicense license) => new()
    {
        VirtualAccount = license.VirtualAccount!,
        License = license.License!.Trim(),
        Quantity = license.Quantity,
        InUse = license.InUse,
        Available = license.Available,
        Reserved = license.Reserved,
        PendingQuantity = license.PendingQuantity,
        Status = license.Status ?? "",
        BillingType = license.BillingType ?? "",
        Subscriptions = [.. (license.LicenseDetails ?? []).Select(d => new LicenseSubscription(
            d.LicenseType ?? "", d.Quantity, ParseDate(d.StartDate), ParseDate(d.EndDate), d.SubscriptionId, d.Status ?? ""))],
    };

    /// <summary>CSSM writes dates as 2019-05-20 or as 2019-01-18T01:07:36Z; anything else is kept as unknown (null).</summary>
    public static DateOnly? ParseDate(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var moment)
            ? DateOnly.FromDateTime(moment.UtcDateTime)
            : null;
    }
}

/// <summary>How the license report is read ("Licenses" section).</summary>
public sealed class LicenseSyncOptions
{
    public const string Section = "Licenses";

    /// <summary>Lines asked per page (limit); the simulator allows up to 1,000.</summary>
    public int PageSize { get; set; } = 1000;

    /// <summary>Pages asked at once after the first (a large smart account has tens of them); 1 to 16.</summary>
    public int ConcurrentPages { get; set; } = 4;
}
