using HcsLicensing.Contracts.Jobs;
using HcsLicensing.JobTracker.Data;
using HcsLicensing.JobTracker.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace HcsLicensing.JobTracker.Tests.Data;

/// <summary>The jobs table: its migration, jsonb steps under xmin concurrency, and that the service uses the test's database.</summary>
public class JobTrackerDbContextTests
{
    [Test]
    public void The_migrations_never_create_an_xmin_column()
    {
        using var db = new DesignTimeJobTrackerDbContextFactory().CreateDbContext([]);

        var script = db.GetService<IMigrator>().GenerateScript();

        Assert.Multiple(() =>
        {
            Assert.That(script, Does.Contain("CREATE TABLE jobs"));
            Assert.That(script, Does.Contain("progress_info jsonb NOT NULL"));
            Assert.That(script, Does.Not.Contain("xmin"));
        });
    }

    [Test]
    public async Task The_service_runs_on_the_tests_database_and_broker_not_on_its_appsettings()
    {
        var host = await JobTrackerHost.GetAsync();
        using var scope = host.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<JobTrackerDbContext>();
        var configuration = scope.ServiceProvider.GetRequiredService<IConfiguration>();

        Assert.Multiple(async () =>
        {
            Assert.That(new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString()).Database, Is.EqualTo(new NpgsqlConnectionStringBuilder(host.Database).Database));
            Assert.That(configuration.GetConnectionString("RabbitMq"), Is.EqualTo((await TestBed.SharedTestServers.GetAsync()).RabbitMq.AmqpUri.ToString()));
            Assert.That(await db.Database.GetPendingMigrationsAsync(), Is.Empty);
        });
    }

    [Test]
    public async Task A_changed_step_is_saved_and_a_stale_copy_cannot_overwrite_it()
    {
        var host = await JobTrackerHost.GetAsync();
        var id = Guid.NewGuid();
        await using (var db = Open(host.Database))
        {
            var job = new JobState { CorrelationId = id, CurrentState = "InProgress" };
            JobRules.Apply(job, Jobs.JobEvents.Created(id), DateTimeOffset.UtcNow);
            db.Jobs.Add(job);
            await db.SaveChangesAsync();
        }

        await using var first = Open(host.Database);
        await using var stale = Open(host.Database);
        var firstCopy = await first.Jobs.SingleAsync(j => j.CorrelationId == id);
        var staleCopy = await stale.Jobs.SingleAsync(j => j.CorrelationId == id);
        // Only a step inside the jsonb document changes: the update must still be written and checked against xmin.
        firstCopy.ProgressInfo[0].Status = JobStepStatus.Pass;
        await first.SaveChangesAsync();
        staleCopy.ProgressInfo[1].Status = JobStepStatus.Inprogress;

        Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => stale.SaveChangesAsync());
        await using var reader = Open(host.Database);
        var saved = await reader.Jobs.AsNoTracking().SingleAsync(j => j.CorrelationId == id);
        Assert.That(saved.ProgressInfo.Select(s => s.Status), Is.EqualTo(new[] { JobStepStatus.Pass, JobStepStatus.NotStarted, JobStepStatus.NotStarted, JobStepStatus.NotStarted }));
    }

    private static JobTrackerDbContext Open(string connectionString) =>
        new(new DbContextOptionsBuilder<JobTrackerDbContext>().UseNpgsql(connectionString).Options);
}
