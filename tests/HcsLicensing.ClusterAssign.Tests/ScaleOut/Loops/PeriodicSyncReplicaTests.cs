using System.Globalization;
using System.Net.Http.Json;
using HcsLicensing.TestBed;
using HcsLicensing.TestBed.Suite;
using Npgsql;

namespace HcsLicensing.ClusterAssign.Tests.ScaleOut.Loops;

/// <summary>
/// SmartAccountSync's PeriodicSync runs in each of three replicas, every 250 ms, with a period of 4 s: each period the
/// smart account must be synced once, one sync job at JobTracker, not one per replica.
/// </summary>
[Category("ScaleOut")]
public class PeriodicSyncReplicaTests
{
    [Test]
    public async Task Three_replicas_start_one_sync_job_per_period_of_the_smart_account()
    {
        var (suite, account) = await ReplicatedLoopsSuite.GetAsync();
        var period = ReplicatedLoopsSuite.SyncPeriod;
        var before = (await SyncRunsAsync(suite)).Count;

        // Four more periods; the newest run is the control: a second sync of any period before it would be there by then.
        var runs = await Eventually.Poll(() => SyncRunsAsync(suite), r => r.Count >= before + 5, TimeSpan.FromSeconds(60));
        var watched = runs.SkipLast(1).ToList();
        var jobs = await Eventually.Poll(
            () => SyncJobsAsync(suite, account), j => watched.All(run => j.Any(job => job.JobId == run.JobId && job.HasEnded)), TimeSpan.FromSeconds(30));

        var gaps = runs.Zip(runs.Skip(1), (earlier, later) => later.StartedAt - earlier.StartedAt).ToList();
        var allRuns = (await SyncRunsAsync(suite)).Select(run => run.JobId).ToHashSet();
        Assert.Multiple(() =>
        {
            Assert.That(watched.Count(run => run.Trigger == "Periodic"), Is.GreaterThanOrEqualTo(4), "periodic syncs while the test watched");
            // The claim starts a sync only if none started within the period: two replicas claiming one period would start two.
            Assert.That(gaps, Has.All.GreaterThanOrEqualTo(period - TimeSpan.FromMilliseconds(50)),
                $"time between two syncs' starts: {string.Join(", ", gaps.Select(g => g.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture)))} s");
            // What the operator sees: one job per sync, each Succeeded, and no job that is not a sync's.
            Assert.That(jobs.Select(job => job.JobId), Is.SubsetOf(allRuns).And.Unique, "JobTracker's sync jobs of the smart account");
            Assert.That(
                watched.Select(run => jobs.Single(job => job.JobId == run.JobId)).Where(job => job.Status != "Succeeded").Select(job => $"{job.JobId} {job.Status}: {job.ErrorDescription}"),
                Is.Empty);
        });
    }

    /// <summary>SmartAccountSync's sync runs (one per sync it started), oldest first.</summary>
    private static async Task<IReadOnlyList<SyncRun>> SyncRunsAsync(HcsSuite suite)
    {
        await using var connection = new NpgsqlConnection(suite.DatabaseOf(SuiteService.SmartAccountSync));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT job_id, trigger, started_at FROM sync_runs ORDER BY started_at", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var runs = new List<SyncRun>();
        while (await reader.ReadAsync())
        {
            runs.Add(new SyncRun(reader.GetGuid(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2)));
        }

        return runs;
    }

    /// <summary>Every sync job of the smart account at JobTracker.</summary>
    private static async Task<IReadOnlyList<SyncJob>> SyncJobsAsync(HcsSuite suite, SmartAccountInfo account)
    {
        using var client = suite.CreateClient(SuiteService.JobTracker, replica: 1);
        var page = await client.GetFromJsonAsync<JobPage>(new Uri($"jobs?entityName={Uri.EscapeDataString(account.Name)}&pageSize=100", UriKind.Relative));
        return page!.Items;
    }

    private sealed record SyncRun(Guid JobId, string Trigger, DateTimeOffset StartedAt);

    private sealed record JobPage(List<SyncJob> Items);

    private sealed record SyncJob(Guid JobId, string Status, string? ErrorDescription)
    {
        public bool HasEnded => Status is "Succeeded" or "Failed" or "Canceled";
    }
}
