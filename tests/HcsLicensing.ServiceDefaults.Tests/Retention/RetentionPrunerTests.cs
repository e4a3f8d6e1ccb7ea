using HcsLicensing.ServiceDefaults.Outbox;
using HcsLicensing.ServiceDefaults.Retention;
using HcsLicensing.ServiceDefaults.Tests.Support;
using HcsLicensing.TestBed;
using HcsLicensing.TestBed.Retention;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace HcsLicensing.ServiceDefaults.Tests.Retention;

/// <summary>
/// The retention pruner on real PostgreSQL, with the outbox's and inbox's rules every service has: rows go once past
/// their keep time and not before, in batches of Retention:BatchSize, and replicas pruning at once share the rows.
/// </summary>
public class RetentionPrunerTests
{
    private static readonly string[] DeadAndPending = ["dead", "pending"];
    private static readonly string[] PendingOnly = ["pending"];
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    private TestServers _servers = null!;
    private string _database = null!;
    private FakeTimeProvider _clock = null!;

    [SetUp]
    public async Task CreateDatabase()
    {
        _servers = await SharedTestServers.GetAsync();
        _database = await ServiceHost.CreateDatabaseAsync(_servers);
        _clock = new FakeTimeProvider(Start);
    }

    [Test]
    public async Task Inbox_rows_go_a_day_after_they_were_received_in_batches_and_younger_ones_stay()
    {
        await using var services = Pruner(("Retention:BatchSize", "10"));
        var pruner = services.GetRequiredService<RetentionPruner<TestDbContext>>();
        await AddInboxRowsAsync(25, _clock.GetUtcNow());
        _clock.Advance(TimeSpan.FromHours(12));
        await AddInboxRowsAsync(3, _clock.GetUtcNow());

        _clock.Advance(TimeSpan.FromHours(11));
        var early = await pruner.PruneAsync(CancellationToken.None);
        _clock.Advance(TimeSpan.FromHours(2)); // the first 25 are a day and an hour old, the 3 are 13 hours old
        var due = await pruner.PruneAsync(CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(Of(early, "InboxMessages").Deleted, Is.Zero);
            Assert.That(Of(due, "InboxMessages"), Is.EqualTo(new RetentionResult("InboxMessages", "inbox_messages", 25, Batches: 3)), "10 + 10 + 5");
            Assert.That(await CountInboxAsync(), Is.EqualTo(3));
        });
    }

    [Test]
    public async Task Cancelled_outbox_rows_go_after_a_day_set_aside_ones_after_30_days_and_pending_ones_never()
    {
        await using var services = Pruner();
        var pruner = services.GetRequiredService<RetentionPruner<TestDbContext>>();
        await using (var db = ServiceHost.Open(_database))
        {
            db.Set<OutboxMessage>().AddRange(
                OutboxRow("cancelled", cancelled: true),
                OutboxRow("dead", dead: true),
                OutboxRow("pending"));
            await db.SaveChangesAsync();
        }

        _clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        await pruner.PruneAsync(CancellationToken.None);
        var afterADay = await OutboxBodiesAsync();
        _clock.Advance(TimeSpan.FromDays(30));
        await pruner.PruneAsync(CancellationToken.None);
        var afterAMonth = await OutboxBodiesAsync();

        Assert.Multiple(() =>
        {
            Assert.That(afterADay, Is.EquivalentTo(DeadAndPending));
            Assert.That(afterAMonth, Is.EquivalentTo(PendingOnly));
        });
    }

    [Test]
    public async Task A_keep_time_of_zero_keeps_rows_forever()
    {
        await using var services = Pruner(("Retention:Keep:InboxMessages", "00:00:00"));
        await AddInboxRowsAsync(5, _clock.GetUtcNow());
        _clock.Advance(TimeSpan.FromDays(400));

        var results = await services.GetRequiredService<RetentionPruner<TestDbContext>>().PruneAsync(CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(results.Select(r => r.Rule), Does.Not.Contain("InboxMessages"));
            Assert.That(await CountInboxAsync(), Is.EqualTo(5));
        });
    }

    [Test]
    public async Task A_rule_that_fails_does_not_keep_the_others_from_their_pass()
    {
        var broken = new RetentionRule("Broken", "inbox_messages", "no_such_column < {0}", TimeSpan.FromDays(1));
        await using var services = RetentionOnDatabase.Services<TestDbContext>(_database, _clock, [broken, .. OutboxRetention.Rules]);
        await AddInboxRowsAsync(4, _clock.GetUtcNow());
        _clock.Advance(TimeSpan.FromDays(2));

        var results = await services.GetRequiredService<RetentionPruner<TestDbContext>>().PruneAsync(CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(results.Select(r => r.Rule), Does.Not.Contain("Broken"));
            Assert.That(Of(results, "InboxMessages").Deleted, Is.EqualTo(4));
            Assert.That(await CountInboxAsync(), Is.Zero);
        });
    }

    [Test]
    public async Task Two_replicas_pruning_at_once_delete_every_row_once_without_failing()
    {
        const int Rows = 6000;
        await AddInboxRowsAsync(Rows, _clock.GetUtcNow());
        _clock.Advance(TimeSpan.FromDays(2));
        await using var replicaA = Pruner(("Retention:BatchSize", "100"));
        await using var replicaB = Pruner(("Retention:BatchSize", "100"));

        var passes = await Task.WhenAll(
            replicaA.GetRequiredService<RetentionPruner<TestDbContext>>().PruneAsync(CancellationToken.None),
            replicaB.GetRequiredService<RetentionPruner<TestDbContext>>().PruneAsync(CancellationToken.None));

        var deleted = passes.Select(pass => Of(pass, "InboxMessages")).ToList();
        Assert.Multiple(async () =>
        {
            Assert.That(deleted.Sum(d => d.Deleted), Is.EqualTo(Rows), "each row counted by the one replica that deleted it");
            Assert.That(deleted.Sum(d => d.Batches), Is.GreaterThanOrEqualTo(Rows / 100), "never more than a batch per statement");
            Assert.That(await CountInboxAsync(), Is.Zero);
        });
    }

    [Test]
    public async Task The_pruner_of_a_service_runs_every_interval_on_the_hosts_clock()
    {
        using var host = await ServiceHost.StartAsync(
            _servers,
            _database,
            ServiceHost.NewPrefix("retention"),
            _ => { },
            settings: new Dictionary<string, string?> { ["Retention:Interval"] = "00:01:00" },
            configureServices: services => services.AddSingleton<TimeProvider>(_clock));
        try
        {
            await AddInboxRowsAsync(7, _clock.GetUtcNow() - TimeSpan.FromDays(2));
            await AddInboxRowsAsync(2, _clock.GetUtcNow());

            // The clock moves an interval at a time until a pass ran (the pruner's timer may start after the host
            // does): the old rows go, the two fresh ones would need 1,440 such steps.
            var left = await Eventually.Poll(
                async () =>
                {
                    _clock.Advance(TimeSpan.FromMinutes(1));
                    return await CountInboxAsync();
                },
                count => count <= 2,
                TimeSpan.FromSeconds(20));
            Assert.That(left, Is.EqualTo(2), "the two received minutes ago stay");
        }
        finally
        {
            await host.StopAsync();
        }
    }

    private ServiceProvider Pruner(params (string Key, string Value)[] settings) =>
        RetentionOnDatabase.Services<TestDbContext>(_database, _clock, OutboxRetention.Rules, settings.ToDictionary(s => s.Key, s => (string?)s.Value));

    private static RetentionResult Of(IReadOnlyList<RetentionResult> results, string rule) => results.Single(r => r.Rule == rule);

    private async Task AddInboxRowsAsync(int count, DateTimeOffset receivedAt)
    {
        await using var db = ServiceHost.Open(_database);
        await db.Database.ExecuteSqlAsync(
            $"INSERT INTO inbox_messages (message_id, consumer_id, received_at) SELECT gen_random_uuid(), gen_random_uuid(), {receivedAt} FROM generate_series(1, {count})");
    }

    private async Task<long> CountInboxAsync()
    {
        await using var db = ServiceHost.Open(_database);
        return await db.Database.SqlQuery<long>($"SELECT count(*) AS \"Value\" FROM inbox_messages").SingleAsync();
    }

    private async Task<List<string>> OutboxBodiesAsync()
    {
        await using var db = ServiceHost.Open(_database);
        return await db.Set<OutboxMessage>().Select(m => m.Body).ToListAsync();
    }

    private OutboxMessage OutboxRow(string body, bool cancelled = false, bool dead = false)
    {
        var now = _clock.GetUtcNow().UtcDateTime;
        return new OutboxMessage
        {
            MessageId = Guid.NewGuid(),
            // Pending: due in a year, so no dispatcher would take it meanwhile.
            DueAt = now.AddDays(365),
            Destination = "queue:retention-probe",
            SentTime = now,
            ContentType = "application/vnd.masstransit+json",
            MessageType = "urn:message:Probe",
            Body = body,
            Cancelled = cancelled,
            DeadAt = dead ? now : null,
            CreatedAt = now,
        };
    }
}
