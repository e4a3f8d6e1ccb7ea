using System.Diagnostics;
using HcsLicensing.ServiceDefaults.Outbox;
using HcsLicensing.ServiceDefaults.Tests.Support;
using HcsLicensing.TestBed;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace HcsLicensing.ServiceDefaults.Tests.Outbox;

/// <summary>
/// The dispatcher's sleep between passes. It waits on a real PostgreSQL LISTEN connection for a commit's notification,
/// or until the next row falls due; when no notification comes, that wait must still end, however close the due time.
/// </summary>
public class DispatcherWaitTests
{
    [TestCase(0.4, TestName = "A row due in 0.4 ms")]
    [TestCase(0.0, TestName = "A row due now")]
    [TestCase(-250.0, TestName = "A row overdue")]
    public async Task The_wait_for_a_row_falling_due_ends_without_a_notification(double dueInMilliseconds)
    {
        var servers = await SharedTestServers.GetAsync();
        await using var connection = new NpgsqlConnection(await ServiceHost.CreateDatabaseAsync(servers));
        await connection.OpenAsync();
        await using (var listen = new NpgsqlCommand($"LISTEN {OutboxModel.Channel}", connection))
        {
            await listen.ExecuteNonQueryAsync();
        }

        var now = DateTime.UtcNow;
        var wait = OutboxDispatcher<DbContext>.WaitTime(now.AddMilliseconds(dueInMilliseconds), TimeSpan.FromSeconds(1), now);
        var clock = Stopwatch.StartNew();
        // Without its own bound, a wait Npgsql reads as "no time-out" would hang the test instead of failing it.
        var notified = await connection.WaitAsync(wait).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Multiple(() =>
        {
            Assert.That(notified, Is.False, "nothing was committed, so nothing notified");
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(1)), "the dispatcher looks again as soon as the row is due");
        });
    }

    [Test]
    public void The_wait_is_until_the_next_row_falls_due_at_most_a_poll_interval()
    {
        var now = new DateTime(2026, 11, 30, 9, 0, 0, DateTimeKind.Utc);
        var poll = TimeSpan.FromSeconds(1);

        Assert.Multiple(() =>
        {
            Assert.That(OutboxDispatcher<DbContext>.WaitTime(null, poll, now), Is.EqualTo(poll), "nothing pending");
            Assert.That(OutboxDispatcher<DbContext>.WaitTime(now.AddMilliseconds(250.3), poll, now), Is.EqualTo(TimeSpan.FromMilliseconds(251)), "rounded up, never early");
            Assert.That(OutboxDispatcher<DbContext>.WaitTime(now.AddMinutes(5), poll, now), Is.EqualTo(poll), "a far row: a poll interval");
            Assert.That(OutboxDispatcher<DbContext>.WaitTime(now.AddMilliseconds(0.4), poll, now), Is.EqualTo(TimeSpan.FromMilliseconds(1)));
        });
    }
}
