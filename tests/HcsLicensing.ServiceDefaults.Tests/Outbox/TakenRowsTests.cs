using HcsLicensing.ServiceDefaults.Outbox;
using HcsLicensing.ServiceDefaults.Tests.Support;
using HcsLicensing.TestBed;
using Npgsql;

namespace HcsLicensing.ServiceDefaults.Tests.Outbox;

/// <summary>
/// A commit's notification names the highest outbox row it added, and the dispatcher skips a wake-up for rows a pass
/// already took: the notification on a real PostgreSQL LISTEN connection, the bookkeeping on its own.
/// </summary>
public class TakenRowsTests
{
    [Test]
    public async Task A_commit_notifies_once_per_statement_with_the_highest_row_it_added()
    {
        var servers = await SharedTestServers.GetAsync();
        var connectionString = await ServiceHost.CreateDatabaseAsync(servers);
        await using var listener = new NpgsqlConnection(connectionString);
        var payloads = new List<string>();
        listener.Notification += (_, notification) => payloads.Add(notification.Payload);
        await listener.OpenAsync();
        await using (var listen = new NpgsqlCommand($"LISTEN {OutboxModel.Channel}", listener))
        {
            await listen.ExecuteNonQueryAsync();
        }

        await using (var db = ServiceHost.Open(connectionString))
        {
            db.Set<OutboxMessage>().AddRange(Row(), Row(), Row());
            await db.SaveChangesAsync();
        }

        var sequenceNumbers = new List<long>();
        await using (var db = ServiceHost.Open(connectionString))
        {
            sequenceNumbers.AddRange(db.Set<OutboxMessage>().Select(row => row.SequenceNumber).OrderBy(n => n));
        }

        while (await listener.WaitAsync(TimeSpan.FromSeconds(1)))
        {
        }

        var rows = new TakenRows();
        rows.Add(sequenceNumbers);
        Assert.Multiple(() =>
        {
            Assert.That(sequenceNumbers, Has.Count.EqualTo(3));
            Assert.That(payloads, Is.Not.Empty, "the commit notified");
            Assert.That(payloads, Has.All.Matches<string>(p => long.TryParse(p, out var n) && sequenceNumbers.Contains(n)), "each payload names a row of the commit");
            Assert.That(payloads, Does.Contain(sequenceNumbers.Max().ToString(System.Globalization.CultureInfo.InvariantCulture)), "the highest among them");
            Assert.That(rows.CoverAll(payloads), Is.True, "a pass that took the rows needs no other pass for them");
        });
    }

    [Test]
    public void Only_notifications_for_rows_already_taken_are_covered()
    {
        var rows = new TakenRows();
        rows.Add([101, 102, 105]);

        Assert.Multiple(() =>
        {
            Assert.That(rows.CoverAll(["102", "105"]), Is.True);
            Assert.That(rows.CoverAll(["105", "106"]), Is.False, "106 is a commit no pass has seen");
            Assert.That(rows.CoverAll([""]), Is.False, "an older trigger's empty payload: look");
            Assert.That(rows.CoverAll(["-1"]), Is.False);
            Assert.That(rows.CoverAll([]), Is.False, "no notification: the wait ended for a due time");
        });
    }

    [Test]
    public void The_oldest_rows_are_forgotten_beyond_the_capacity()
    {
        var rows = new TakenRows(capacity: 3);
        rows.Add([1, 2, 3, 4]);

        Assert.Multiple(() =>
        {
            Assert.That(rows.CoverAll(["1"]), Is.False, "forgotten: costs one pass, as before");
            Assert.That(rows.CoverAll(["2", "3", "4"]), Is.True);
        });
    }

    private static OutboxMessage Row() => new()
    {
        MessageId = Guid.NewGuid(),
        DueAt = DateTime.UtcNow.AddMinutes(5), // not due: the test's own dispatcher-less database leaves them be
        Destination = "queue:nowhere",
        SentTime = DateTime.UtcNow,
        ContentType = "application/json",
        MessageType = "urn:message:Test",
        Body = "{}",
        CreatedAt = DateTime.UtcNow,
    };
}
