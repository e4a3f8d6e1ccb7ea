using HcsLicensing.ClusterAssign.Data;
using HcsLicensing.ClusterAssign.LicenseAudit;
using HcsLicensing.TestBed;
using HcsLicensing.TestBed.Suite;
using Microsoft.EntityFrameworkCore;

namespace HcsLicensing.ClusterAssign.Tests.LicenseAudit;

/// <summary>
/// The periodic audit, on a suite of its own with two ClusterAssign replicas that each check every second whether an
/// audit is due (LicenseAudit:CheckInterval 1 s, LicenseAudit:Period 15 s, by configuration: the services are processes,
/// their clocks cannot be moved from here): audits start by themselves, and the claim lets only one start per period.
/// </summary>
public class PeriodicLicenseAuditTests
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(15);

    [Test]
    public async Task Audits_start_by_themselves_one_per_period_across_two_replicas()
    {
        var before = DateTimeOffset.UtcNow;
        await using var suite = await HcsSuite.StartAsync(SuiteOptions.Fast with
        {
            Replicas = 2,
            Clusters = 10,
            Environment = new Dictionary<SuiteService, IReadOnlyDictionary<string, string>>
            {
                [SuiteService.ClusterAssign] = new Dictionary<string, string> { ["LicenseAudit__Period"] = "00:00:15", ["LicenseAudit__CheckInterval"] = "00:00:01" },
            },
        });
        Assert.That(suite.ReplicasOf(SuiteService.ClusterAssign), Is.EqualTo(2));
        var account = await suite.ConfigureSmartAccountAsync();
        var cluster = suite.TakeClusterNames(1)[0];
        await suite.AddClustersToInventoryAsync([cluster]);
        await Auditor.AssignAsync(suite, cluster, account.VirtualAccounts[1]);

        await using var db = new ClusterAssignDbContext(new DbContextOptionsBuilder<ClusterAssignDbContext>().UseNpgsql(suite.DatabaseOf(SuiteService.ClusterAssign)).Options);
        // Two audits of the assigned cluster ended (and those before the assignment): periods in which both replicas checked about fifteen times each.
        var runs = await Eventually.Poll(
            () => db.LicenseAuditRuns.AsNoTracking().OrderBy(r => r.StartedAt).ToListAsync(),
            r => r.Count(x => x.Status == LicenseAuditRun.Succeeded && x.Clusters == 1) >= 2,
            TimeSpan.FromSeconds(240));
        var job = await suite.WaitForJobAsync(runs[0].Id, Auditor.JobTimeout);

        Assert.Multiple(() =>
        {
            Assert.That(runs.Select(r => r.RequestedBy), Is.All.EqualTo("Periodic"), "nobody asked for them");
            Assert.That(runs[0].StartedAt, Is.GreaterThanOrEqualTo(before + Period), "a database that never had an audit gets its first a period after the replica started");
            Assert.That(runs.Zip(runs.Skip(1), (a, b) => b.StartedAt - a.StartedAt), Is.All.GreaterThanOrEqualTo(Period), "one audit per period across both replicas");
            Assert.That(runs.Where(r => r.Status != LicenseAuditRun.Running).Select(r => r.Status), Is.All.EqualTo(LicenseAuditRun.Succeeded));
            // The first ones may have run before the assignment ended (the suite takes longer to start than a period).
            Assert.That(runs.Last(r => r.Status == LicenseAuditRun.Succeeded).Clusters, Is.EqualTo(1), "the latest audit saw the assigned cluster");
            Assert.That(job.Status, Is.EqualTo("Succeeded"), Auditor.Describe(job));
        });
    }
}
