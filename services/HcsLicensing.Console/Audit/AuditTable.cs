using System.Globalization;
using HcsLicensing.Console.SuiteApis;

namespace HcsLicensing.Console.Audit;

/// <summary>The Audit page's table, once: what the page shows is what its CSV export holds.</summary>
public static class AuditTable
{
    /// <summary>The most rows an export reads (JobTracker's largest pages, 20 of them); the filters narrow a larger trail.</summary>
    public const int MaxExportRows = 10_000;

    public static readonly string[] Header = ["at", "actor", "action", "service", "entityType", "entityName", "detail", "jobId"];

    public static object?[] Row(AuditEntry e) =>
        [e.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture), e.Actor, e.Action, e.Service, e.EntityType, e.EntityName, e.Detail, e.JobId];

    /// <summary>Every entry the filter matches, newest first, up to <see cref="MaxExportRows"/>.</summary>
    public static async Task<List<AuditEntry>> ReadAllAsync(JobTrackerApi api, AuditFilter filter, CancellationToken cancellationToken)
    {
        const int pageSize = 500;
        var entries = new List<AuditEntry>();
        for (var page = 1; entries.Count < MaxExportRows; page++)
        {
            var next = await api.AuditAsync(filter, page, pageSize, cancellationToken);
            entries.AddRange(next.Items);
            if (next.Items.Count < pageSize)
            {
                break;
            }
        }

        return entries;
    }
}
