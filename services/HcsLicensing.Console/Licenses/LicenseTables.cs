using HcsLicensing.Console.SuiteApis;

namespace HcsLicensing.Console.Licenses;

/// <summary>The License usage page's tables, once: what the page shows is what its CSV export holds.</summary>
public static class LicenseTables
{
    public static readonly string[] VirtualAccountHeader = ["license", "quantity", "inUse", "available", "reserved", "pendingQuantity", "status", "billingType", "subscriptions"];

    public static IEnumerable<object?[]> VirtualAccountRows(VirtualAccountLicenses licenses) => licenses.Licenses.Select(l => new object?[]
    {
        l.License, l.Quantity, l.InUse, l.Available, l.Reserved, l.PendingQuantity, l.Status, l.BillingType,
        string.Join("; ", (l.Subscriptions ?? []).Select(s => $"{s.SubscriptionId} {s.LicenseType} x{s.Quantity} {s.StartDate}..{s.EndDate} {s.Status}")),
    });

    public static readonly string[] UsageHeader = ["virtualAccount", "license", "quantity", "inUse", "available", "status"];

    public static IEnumerable<object?[]> UsageRows(LicenseSummary summary) =>
        summary.VirtualAccounts.SelectMany(va => va.Licenses.Select(l => new object?[] { va.VirtualAccount, l.License, l.Quantity, l.InUse, l.Available, l.Status }));

    public static IEnumerable<object?[]> ShortRows(LicenseSummary summary) =>
        summary.ShortLicenses.Select(s => new object?[] { s.VirtualAccount, s.License, s.Quantity, s.InUse, s.Available, s.Status });

    public static readonly string[] ExpiringHeader = ["virtualAccount", "license", "subscriptionId", "quantity", "endDate", "daysLeft"];

    public static IEnumerable<object?[]> ExpiringRows(LicenseSummary summary) =>
        summary.Expiring.OrderBy(e => e.DaysLeft).Select(e => new object?[] { e.VirtualAccount, e.License, e.SubscriptionId, e.Quantity, e.EndDate, e.DaysLeft });

    /// <summary>Purchased and in use per license type, across the VAs (the chart's bars).</summary>
    public static IReadOnlyList<(string License, long Quantity, long InUse)> ByLicense(LicenseSummary summary) =>
        [.. summary.VirtualAccounts.SelectMany(va => va.Licenses)
            .GroupBy(l => l.License, StringComparer.Ordinal)
            .Select(g => (g.Key, g.Sum(l => l.Quantity), g.Sum(l => l.InUse)))
            .OrderBy(x => x.Key, StringComparer.Ordinal)];
}
