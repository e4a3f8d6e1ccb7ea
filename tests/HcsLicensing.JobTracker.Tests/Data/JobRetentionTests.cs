using System.Globalization;
using HcsLicensing.Contracts.Jobs;
using HcsLicensing.JobTracker.Data;
using HcsLicensing.JobTracker.Jobs;
using HcsLicensing.ServiceDefaults.Retention;
using HcsLicensing.TestBed;
using HcsLicensing.TestBed.Retention;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace HcsLicensing.JobTracker.Tests.Data;

/// <summary>JobRetention on the service's migrated database: a job that ended goes 90 days later, a running one never.</summary>
public class JobRetentionTests
{
    private static readonly DateTimeOffset Start = new(2026, 2, 1, 9, 30, 0, TimeSpan.Zero);

    private string _database = null!;
    private FakeTimeProvider _clock = null!;

    [SetUp]
    public async Task CreateDatabase()
    {
        _database = await RetentionOnDatabase.CreateMigratedDatabaseAsync<JobTrackerDbContext>(await SharedTestServers.GetAsync(), "jtret", options => new JobTrackerDbContext(options));
        _clock = new FakeTimeProvider(Start);
    }

    [Test]
    public async Task Succeeded_failed_and_canceled_jobs_go_90_days_after_they_ended_and_running_ones_stay()
    {
        await using var services = RetentionOnDatabase.Services<JobTrackerDbContext>(_database, _clock, [JobRetention.FinishedJobs]);
        var pruner = services.GetRequiredService<RetentionPruner<JobTrackerDbContext>>();
        var succeeded = await AddJobAsync(JobStatus.Succeeded);
        var failed = await AddJobAsync(JobStatus.Failed);
        var canceled = await AddJobAsync(JobStatus.Canceled);
        var running = await AddJobAsync(JobStatus.InProgress);
        _clock.Advance(TimeSpan.FromDays(5));
        var younger = await AddJobAsync(JobStatus.Succeeded);

        _clock.Advance(TimeSpan.FromDays(84)); // the first ones ended 89 days ago
        await pruner.PruneAsync(CancellationToken.None);
        var before = await JobIdsAsync();
        _clock.Advance(TimeSpan.FromDays(2)); // 91 days
        var pass = await pruner.PruneAsync(CancellationToken.None);
        var after = await JobIdsAsync();

        Assert.Multiple(() =>
        {
            Assert.That(before, Is.EquivalentTo(new[] { succeeded, failed, canceled, running, younger }));
            Assert.That(after, Is.EquivalentTo(new[] { running, younger }), "the running job and the one that ended 86 days ago stay");
            Assert.That(pass.Single().Deleted, Is.EqualTo(3));
        });
    }

    [Test]
    public async Task Many_finished_jobs_go_in_batches_of_the_configured_size()
    {
        await using var services = RetentionOnDatabase.Services<JobTrackerDbContext>(
            _database, _clock, [JobRetention.FinishedJobs], new Dictionary<string, string?> { ["Retention:BatchSize"] = "7" });
        for (var i = 0; i < 30; i++)
        {
            await AddJobAsync(JobStatus.Succeeded);
        }

        _clock.Advance(TimeSpan.FromDays(91));
        var pass = await services.GetRequiredService<RetentionPruner<JobTrackerDbContext>>().PruneAsync(CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(pass.Single(), Is.EqualTo(new RetentionResult("FinishedJobs", "jobs", 30, Batches: 5)), "7 + 7 + 7 + 7 + 2");
            Assert.That(await JobIdsAsync(), Is.Empty);
        });
    }

    [Test]
    public async Task A_batch_finds_the_finished_jobs_past_their_time_by_index_and_deletes_them_by_tid_without_reading_every_job()
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        // Planned as for a big table (the test's is empty, where a sequential scan would rightly win).
        await using var command = new NpgsqlCommand(
            "SET enable_seqscan = off; EXPLAIN " + string.Format(CultureInfo.InvariantCulture, JobRetention.FinishedJobs.BatchSql, "now()", 1000), connection);
        var plan = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(0));
            }
        }

        Assert.Multiple(() =>
        {
            Assert.That(string.Join("\n", plan), Does.Contain("ix_jobs_completed"));
            Assert.That(string.Join("\n", plan), Does.Contain("Tid Scan"));
        });
    }

    private async Task<Guid> AddJobAsync(JobStatus status)
    {
        var now = _clock.GetUtcNow();
        var job = new JobState
        {
            CorrelationId = Guid.NewGuid(),
            CurrentState = status.ToString(),
            Status = status,
            DetailsReceived = true,
            EntityName = "cl-retention",
            Attempt = 1,
            ProgressInfo = [new JobStep { Name = "Verification", Status = status == JobStatus.InProgress ? JobStepStatus.Inprogress : JobStepStatus.Pass }],
            InitiatedAt = now - TimeSpan.FromMinutes(3),
            CompletedAt = status == JobStatus.InProgress ? null : now,
            LastUpdatedAt = now,
        };
        await using var db = Open();
        db.Jobs.Add(job);
        await db.SaveChangesAsync();
        return job.CorrelationId;
    }

    private async Task<List<Guid>> JobIdsAsync()
    {
        await using var db = Open();
        return await db.Jobs.Select(j => j.CorrelationId).ToListAsync();
    }

    private JobTrackerDbContext Open() => new(new DbContextOptionsBuilder<JobTrackerDbContext>().UseNpgsql(_database).Options);
}
