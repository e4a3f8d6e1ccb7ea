using System.Globalization;
using HcsLicensing.Console.SuiteApis;

namespace HcsLicensing.Console.Findings;

/// <summary>The License findings page's table, once: what the page shows is what its CSV export holds.</summary>
public static class FindingTable
{
    /// <summary>The most rows an export reads (ClusterAssign's largest pages, 20 of them); the filters narrow more findings.</summary>
    public const int MaxExportRows = 10_000;

    /// <summary>The finding types and severities ClusterAssign knows (docs/audit.md), for the filters.</summary>
    public static readonly string[] Types = ["RegisteredOutOfBand", "WrongVirtualAccount", "LostRegistration", "Duplicate", "AuthorizationExpired", "Stale", "Unreachable"];

    public static readonly string[] Severities = ["Critical", "Warning"];

    public static readonly string[] Header =
        ["type", "severity", "cluster", "smartAccount", "virtualAccount", "firstSeen", "lastSeen", "status", "summary", "evidence", "repair", "repairJobId", "id"];

    public static object?[] Row(Finding f) =>
        [f.Type, f.Severity, f.ClusterName, f.SmartAccountDomain, f.VirtualAccount, Utc(f.FirstSeenAt), Utc(f.LastSeenAt), f.Status, f.Summary,
         f.Evidence?.Describe(), f.Repair, f.RepairJobId, f.Id];

    /// <summary>Every finding the filter matches, in the API's order, up to <see cref="MaxExportRows"/>.</summary>
    public static async Task<List<Finding>> ReadAllAsync(ClusterAssignApi api, FindingFilter filter, CancellationToken cancellationToken)
    {
        const int pageSize = 500;
        var findings = new List<Finding>();
        for (var page = 1; findings.Count < MaxExportRows; page++)
        {
            var next = await api.FindingsAsync(filter, page, pageSize, cancellationToken);
            findings.AddRange(next.Items);
            if (next.Items.Count < pageSize)
            {
                break;
            }
        }

        return findings;
    }

    private static string Utc(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
