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
public sealed class ProductInstanceSearch(ISwapiApi swapi)
{
    public const int PageSize = 1000;
    private const int ConcurrentPages = 4;

    public async Task<IReadOnlyList<ListedProductInstance>> ReadAsync(SmartAccount account, CssmCredentials credentials, CancellationToken cancellationToken)
    {
        var first = await swapi.SearchProductInstancesAsync(account.Domain, new SwapiDevicesQuery([], PageSize, 0), credentials, cancellationToken);
        var pages = new SortedDictionary<int, IReadOnlyList<SwapiDevice>> { [0] = first.Devices ?? [] };
        var offsets = pages[0].Count == 0 ? [] : Enumerable.Range(1, Math.Max(0, (first.TotalRecords - 1) / PageSize)).Select(page => page * PageSize);
        await Parallel.ForEachAsync(
            offsets,
            new ParallelOptions { MaxDegreeOfParallelism = ConcurrentPages, CancellationToken = cancellationToken },
            async (offset, token) =>
            {
                var page = await swapi.SearchProductInstancesAsync(account.Domain, new SwapiDevicesQuery([], PageSize, offset), credentials, token);
                lock (pages)
                {
                    pages[offset] = page.Devices ?? [];
                }
            });

        // An instance shifted between pages while they were read shows once; one without a name or VA is not a cluster's.
        return [.. pages.Values
            .SelectMany(page => page)
            .Where(d => !string.IsNullOrWhiteSpace(d.ProductInstanceName) && !string.IsNullOrWhiteSpace(d.VirtualAccount))
            .DistinctBy(d => d.ProductInstanceId ?? $"{d.VirtualAccount}/{d.ProductInstanceName}")
            .Select(d => new ListedProductInstance
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

    private static DateTimeOffset? Instant(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant) ? instant : null;
}
