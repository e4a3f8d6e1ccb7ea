using System.Diagnostics.Metrics;
using HcsLicensing.ClusterAssign.Data;
using HcsLicensing.ClusterAssign.LicenseAudit;
using HcsLicensing.Contracts.LicenseAudit;
using HcsLicensing.ServiceDefaults.Retention;
using HcsLicensing.TestBed;
using HcsLicensing.TestBed.Retention;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace HcsLicensing.ClusterAssign.Tests.LicenseAudit;

/// <summary>
/// The license audit's rows on ClusterAssign's migrated database: the open-findings gauge counts them by type and
/// severity, the database lets one audit run at a time and one open finding per cluster and type, and retention removes
/// ended audits and closed findings a year on while open ones stay.
/// </summary>
public class LicenseFindingDataTests
{
    private static readonly DateTimeOffset Start = new(2026, 5, 4, 10, 0, 0, TimeSpan.Zero);
    private string _database = null!;

    [SetUp]
    public async Task CreateDatabase() =>
        _database = await RetentionOnDatabase.CreateMigratedDatabaseAsync<ClusterAssignDbContext>(
            await SharedTestServers.GetAsync(), "lafind", options => new ClusterAssignDbContext(options));

    [Test]
    public async Task The_gauge_reports_open_findings_by_type_and_severity_zeros_included()
    {
        await SaveAsync(
            Finding("cl-1", LicenseFindingType.LostRegistration, LicenseFindingSeverity.Critical),
            Finding("cl-2", LicenseFindingType.LostRegistration, LicenseFindingSeverity.Critical),
            Finding("cl-3", LicenseFindingType.Duplicate, LicenseFindingSeverity.Warning),
            Finding("cl-4", LicenseFindingType.LostRegistration, LicenseFindingSeverity.Critical, closedAt: Start));
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new LicenseAuditMetrics(services.GetRequiredService<IMeterFactory>());
        var measured = new List<(int Value, string Type, string Severity)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == LicenseAuditMetrics.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<int>((_, value, tags, _) =>
            measured.Add((value, (string)tags.ToArray().Single(t => t.Key == "type").Value!, (string)tags.ToArray().Single(t => t.Key == "severity").Value!)));
        listener.Start();

        await using (var db = Open())
        {
            await metrics.RefreshAsync(db, CancellationToken.None);
        }

        listener.RecordObservableInstruments();

        Assert.Multiple(() =>
        {
            Assert.That(measured, Has.Count.EqualTo(Enum.GetValues<LicenseFindingType>().Length * Enum.GetValues<LicenseFindingSeverity>().Length));
            Assert.That(measured, Does.Contain((2, "LostRegistration", "Critical")), "the closed one is not counted");
            Assert.That(measured, Does.Contain((1, "Duplicate", "Warning")));
            Assert.That(measured.Where(m => m.Type is not ("LostRegistration" or "Duplicate")).Select(m => m.Value), Is.All.Zero);
        });
    }

    [Test]
    public async Task The_database_refuses_a_second_running_audit_and_a_second_open_finding_of_a_cluster_and_type()
    {
        await using (var db = Open())
        {
            db.LicenseAuditRuns.Add(new LicenseAuditRun { Id = Guid.NewGuid(), StartedAt = Start, HeartbeatAt = Start });
            await db.SaveChangesAsync();
        }

        var secondRun = Assert.ThrowsAsync<DbUpdateException>(async () =>
        {
            await using var db = Open();
            db.LicenseAuditRuns.Add(new LicenseAuditRun { Id = Guid.NewGuid(), StartedAt = Start, HeartbeatAt = Start });
            await db.SaveChangesAsync();
        });
        await SaveAsync(Finding("cl-1", LicenseFindingType.Duplicate, LicenseFindingSeverity.Warning), Finding("cl-1", LicenseFindingType.Duplicate, LicenseFindingSeverity.Warning, closedAt: Start));
        var secondOpen = Assert.ThrowsAsync<DbUpdateException>(() => SaveAsync(Finding("cl-1", LicenseFindingType.Duplicate, LicenseFindingSeverity.Warning)));

        Assert.Multiple(() =>
        {
            Assert.That(secondRun!.InnerException?.Message, Does.Contain("ux_license_audit_runs_running"));
            Assert.That(secondOpen!.InnerException?.Message, Does.Contain("ux_license_findings_open"));
        });
    }

    [Test]
    public async Task Retention_removes_ended_audits_and_closed_findings_a_year_on_and_keeps_open_ones()
    {
        var clock = new FakeTimeProvider(Start);
        await using (var db = Open())
        {
            db.LicenseAuditRuns.Add(new LicenseAuditRun { Id = Guid.NewGuid(), Status = LicenseAuditRun.Succeeded, StartedAt = Start, HeartbeatAt = Start, CompletedAt = Start });
            db.LicenseAuditRuns.Add(new LicenseAuditRun { Id = Guid.NewGuid(), StartedAt = Start, HeartbeatAt = Start });
            await db.SaveChangesAsync();
        }

        await SaveAsync(
            Finding("cl-closed", LicenseFindingType.Duplicate, LicenseFindingSeverity.Warning, closedAt: Start),
            Finding("cl-open", LicenseFindingType.Duplicate, LicenseFindingSeverity.Warning));
        await using var services = RetentionOnDatabase.Services<ClusterAssignDbContext>(_database, clock, [ClusterAssignRetention.LicenseAudits, ClusterAssignRetention.ClosedLicenseFindings]);
        var pruner = services.GetRequiredService<RetentionPruner<ClusterAssignDbContext>>();

        clock.Advance(TimeSpan.FromDays(364));
        await pruner.PruneAsync(CancellationToken.None);
        var before = await CountsAsync();
        clock.Advance(TimeSpan.FromDays(2));
        await pruner.PruneAsync(CancellationToken.None);
        var after = await CountsAsync();

        Assert.Multiple(() =>
        {
            Assert.That(before, Is.EqualTo((2, 2)));
            Assert.That(after, Is.EqualTo((1, 1)), "the running audit and the open finding stay");
        });
    }

    private static LicenseFinding Finding(string cluster, LicenseFindingType type, LicenseFindingSeverity severity, DateTimeOffset? closedAt = null) => new()
    {
        Id = Guid.NewGuid(), Type = type, Severity = severity, ClusterName = cluster, Summary = "test", FirstSeenAt = Start, LastSeenAt = Start,
        Status = closedAt is null ? LicenseFinding.Open : LicenseFinding.Closed, ClosedAt = closedAt, FirstAuditId = Guid.NewGuid(), LastAuditId = Guid.NewGuid(),
    };

    private async Task SaveAsync(params LicenseFinding[] findings)
    {
        await using var db = Open();
        db.LicenseFindings.AddRange(findings);
        await db.SaveChangesAsync();
    }

    private async Task<(int Runs, int Findings)> CountsAsync()
    {
        await using var db = Open();
        return (await db.LicenseAuditRuns.CountAsync(), await db.LicenseFindings.CountAsync());
    }

    private ClusterAssignDbContext Open() => new(new DbContextOptionsBuilder<ClusterAssignDbContext>().UseNpgsql(_database).Options);
}
