using HcsLicensing.TestBed;
using HcsLicensing.TestBed.Suite;
using MassTransit;

namespace HcsLicensing.ClusterAssign.Tests.ScaleOut.Loops;

/// <summary>
/// The durable scheduler of a service with three replicas: each replica consumes the scheduler's queue and turns a
/// schedule into a row of the shared outgoing-message table, and each replica's OutboxDispatcher sends due rows. A
/// message scheduled there must arrive once, at its due time, not once per replica.
/// </summary>
[Category("ScaleOut")]
public class DurableSchedulerReplicaTests
{
    private const int Messages = 60;

    [Test]
    public async Task Messages_scheduled_with_three_replicas_arrive_once_each_at_their_due_time()
    {
        var (suite, _) = await ReplicatedLoopsSuite.GetAsync();
        await using var probe = await ProbeQueue.StartAsync(suite, "scheduled-probe");
        var bus = Bus.Factory.CreateUsingRabbitMq(rabbit => rabbit.Host(suite.RabbitMq.AmqpUri));
        await bus.StartAsync();
        try
        {
            // JobTracker's scheduler (its queue is read by all three of its replicas), as a saga's Schedule() uses it.
            var scheduler = bus.CreateMessageScheduler(new Uri($"queue:{suite.EndpointPrefix}jobtracker-scheduler"));
            var dueAt = DateTime.UtcNow.AddSeconds(4);
            await Task.WhenAll(Enumerable.Range(1, Messages).Select(n => scheduler.ScheduleSend(probe.Address, dueAt, new ScheduledProbe(n))));
            await Eventually.Poll(() => Task.FromResult(Numbers(probe).Distinct().Count()), n => n == Messages, TimeSpan.FromSeconds(60));
            // The control: a message due 2 s after the others. A second sending of any of them comes before it.
            await scheduler.ScheduleSend(probe.Address, dueAt.AddSeconds(2), new ScheduledProbe(0));
            await Eventually.Poll(() => Task.FromResult(Numbers(probe).Contains(0)), seen => seen, TimeSpan.FromSeconds(60));

            var received = probe.Received.Where(d => Number(d) != 0).ToList();
            var due = new DateTimeOffset(dueAt, TimeSpan.Zero);
            Assert.Multiple(() =>
            {
                Assert.That(received.Select(Number), Is.EquivalentTo(Enumerable.Range(1, Messages)), "each scheduled message once");
                Assert.That(received.Select(d => d.MessageId), Is.Unique);
                // Not before its time (the database's and the test's clock are the machine's), and without a replica's delay.
                Assert.That(received.Min(d => d.At), Is.GreaterThanOrEqualTo(due.AddMilliseconds(-50)), "first arrival");
                Assert.That(received.Max(d => d.At), Is.LessThan(due.AddSeconds(10)), "last arrival");
            });
        }
        finally
        {
            await bus.StopAsync();
        }
    }

    private static IEnumerable<int> Numbers(ProbeQueue probe) => probe.Received.Select(Number);

    private static int Number(ProbeDelivery delivery) => delivery.Message.GetProperty("number").GetInt32();
}

/// <summary>What the test schedules: only its number matters.</summary>
public sealed record ScheduledProbe(int Number);
