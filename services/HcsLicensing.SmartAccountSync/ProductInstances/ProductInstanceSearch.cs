using System.Globalization;
using HcsLicensing.Contracts.SmartAccounts;
using HcsLicensing.SmartAccountSync.Cssm;
using HcsLicensing.SmartAccountSync.SmartAccounts;

namespace HcsLicensing.SmartAccountSync.ProductInstances;

/// <summary>
/// Reads every product instance CSSM lists in a smart account's VAs: one search for all VAs, paged like the license
/// report (the first page gives totalRecords, the rest are read a few at a time). Nothing is stored: the license
/// audit wants CSSM's view as of now.
/// </summary>
/// <remarks>
/// CSSM pages by offset, so an instance registered, moved or removed while the pages are read shifts the ones after
/// it. Shifted forward, one is listed twice (kept once) or pushed past the total the first page gave (the pages go on
/// to the highest total any page gave). Shifted backward, one is missed, and the audit would call a registered
/// cluster lost. A read whose pages all give the same total saw no change a count shows, and is taken as it is;
/// otherwise the list is read again, at most <see cref="MaxReads"/> times, and then every instance any read saw is
/// kept, as the latest read saw it (the 2026-12-01 licenseaudit benchmark, assigning beside an audit, missed one).
/// </remarks>
public sealed class ProductInstanceSearch(ISwapiApi swapi, int pageSize)
{
    public const int PageSize = 1000;
    public const int MaxReads = 3;
    private const int ConcurrentPages = 4;

    public ProductInstanceSearch(ISwapiApi swapi)
        : this(swapi, PageSize)
    {
    }

    public async Task<IReadOnlyList<ListedProductInstance>> ReadAsync(SmartAccount account, CssmCredentials credentials, CancellationToken cancellationToken)
    {
        var seen = new Dictionary<string, SwapiDevice>(); // in CSSM's order of the first read that listed each
        for (var read = 1; read <= MaxReads; read++)
        {
            var (devices, steady) = await ReadOnceAsync(account.Domain, credentials, cancellationToken);
            if (steady)
            {
                seen.Clear();
            }

            foreach (var device in devices)
            {
                seen[device.ProductInstanceId ?? $"{device.VirtualAccount}/{device.ProductInstanceName}"] = device;
            }

            if (steady)
            {
                break;
            }
        }

        return [.. seen.Values.Select(d => new ListedProductInstance
        {
            SmartAccountDomain = account.Domain,
            VirtualAccount = d.VirtualAccount!,
            ProductInstanceId = d.ProductInstanceId ?? "",
            ProductInstanceName = d.ProductInstanceName!,
            ProductType = d.ProductType,
            Version = d.SoftwareVersion,
            LastContactAt = Instant(d.LastContactDate),
        })];
    }

    /// <summary>One pass over the pages; steady when every page gave the first page's total.</summary>
    private async Task<(IEnumerable<SwapiDevice> Devices, bool Steady)> ReadOnceAsync(string domain, CssmCredentials credentials, CancellationToken cancellationToken)
    {
        Task<SwapiDevices> PageAsync(int offset, CancellationToken token) =>
            swapi.SearchProductInstancesAsync(domain, new SwapiDevicesQuery([], pageSize, offset), credentials, token);

        var first = await PageAsync(0, cancellationToken);
        var pages = new SortedDictionary<int, SwapiDevices> { [0] = first };
        if (first.Devices is { Count: > 0 })
        {
            var offsets = Enumerable.Range(1, Math.Max(0, (first.TotalRecords - 1) / pageSize)).Select(page => page * pageSize);
            await Parallel.ForEachAsync(
                offsets,
                new ParallelOptions { MaxDegreeOfParallelism = ConcurrentPages, CancellationToken = cancellationToken },
                async (offset, token) =>
                {
                    var page = await PageAsync(offset, token);
                    lock (pages)
                    {
                        pages[offset] = page;
                    }
                });
            for (var offset = pages.Keys.Last() + pageSize; offset < pages.Values.Max(p => p.TotalRecords); offset += pageSize)
            {
                pages[offset] = await PageAsync(offset, cancellationToken);
            }
        }

        // One without a name or VA is not a cluster's.
        var devices = pages.Values
            .SelectMany(page => page.Devices ?? [])
            .Where(d => !string.IsNullOrWhiteSpace(d.ProductInstanceName) && !string.IsNullOrWhiteSpace(d.VirtualAccount));
        return (devices, pages.Values.All(page => page.TotalRecords == first.TotalRecords));
    }

    private static DateTimeOffset? Instant(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant) ? instant : null;
}
