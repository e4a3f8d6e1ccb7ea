using System.Diagnostics.Metrics;
using HcsLicensing.ClusterAssign.Data;
using HcsLicensing.Contracts.LicenseAudit;
using Microsoft.EntityFrameworkCore;

namespace HcsLicensing.ClusterAssign.LicenseAudit;

/// <summary>
/// The gauge hcs.license_audit.open_findings, by type and severity, so that an alert rule can fire on drift. Each
/// replica reports the counts it last read: after an audit it ran, and at every periodic check (<see cref="PeriodicLicenseAudit"/>).
/// </summary>
public sealed class LicenseAuditMetrics
{
    public const string MeterName = "HcsLicensing.ClusterAssign.LicenseAudit";

    private volatile IReadOnlyList<(LicenseFindingType Type, LicenseFindingSeverity Severity, int Count)> counts = [];

    public LicenseAuditMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge(
            "hcs.license_audit.open_findings",
            () => counts.Select(c => new Measurement<int>(c.Count, new KeyValuePair<string, object?>("type", c.Type.ToString()), new KeyValuePair<string, object?>("severity", c.Severity.ToString()))),
            unit: "{finding}",
            description: "Open license audit findings by type and severity");
    }

    public IReadOnlyList<(LicenseFindingType Type, LicenseFindingSeverity Severity, int Count)> Counts => counts;

    /// <summary>Reads the open findings' counts; every type and severity is reported, zero included, so a resolved alert clears.</summary>
    public async Task RefreshAsync(ClusterAssignDbContext db, CancellationToken cancellationToken)
    {
        var open = await db.LicenseFindings.AsNoTracking()
            .Where(f => f.Status == LicenseFinding.Open)
            .GroupBy(f => new { f.Type, f.Severity })
            .Select(g => new { g.Key.Type, g.Key.Severity, Count = g.Count() })
            .ToListAsync(cancellationToken);
        counts = [.. from type in Enum.GetValues<LicenseFindingType>()
                     from severity in Enum.GetValues<LicenseFindingSeverity>()
                     select (type, severity, open.FirstOrDefault(o => o.Type == type && o.Severity == severity)?.Count ?? 0)];
    }
}
