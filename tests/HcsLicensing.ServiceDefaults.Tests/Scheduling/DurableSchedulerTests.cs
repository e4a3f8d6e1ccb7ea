using HcsLicensing.ServiceDefaults.Outbox;
using HcsLicensing.ServiceDefaults.Sagas;
using HcsLicensing.ServiceDefaults.Scheduling;
using HcsLicensing.ServiceDefaults.Tests.Support;
using HcsLicensing.TestBed;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace HcsLicensing.ServiceDefaults.Tests.Scheduling;

public sealed record ProbePing(int Number);

/// <summary>
/// The durable scheduler on real RabbitMQ and PostgreSQL: a "service" host runs the scheduler on its database,
/// a separate "receiver" host consumes what it sends, so restarts of the service do not touch the receiver.
/// </summary>
public class DurableSchedulerTests
{
    private static readonly int[] OnlyTheNeighbour = [2];
    private readonly List<IHost> _hosts = [];
    private TestServers _servers = null!;
    private string _database = null!;
    private string _prefix = null!;
    private Recorder<ProbePing> _received = null!;
    private Uri _probeQueue = null!;

    [SetUp]
    public async Task StartReceiver()
    {
        _servers = await SharedTestServers.GetAsync();
        _database = await ServiceHost.CreateDatabaseAsync(_servers);
        _prefix = ServiceHost.NewPrefix("sched");
        _received = new Recorder<ProbePing>();
        _probeQueue = new Uri($"queue:{_prefix}-probe");
        var receiverDatabase = await ServiceHost.CreateDatabaseAsync(_servers);
        _hosts.Add(await ServiceHost.StartAsync(
            _servers,
            receiverDatabase,
            $"{_prefix}-rx",
            bus => bus.AddConsumer<RecordingConsumer<ProbePing>>().Endpoint(e => e.Name = $"{_prefix}-probe"),
            configureServices: services => services.AddSingleton(_received)));
    }

    [TearDown]
    public async Task StopHosts()
    {
        foreach (var host in _hosts)
        {
            await host.StopAsync();
            host.Dispose();
        }

        _hosts.Clear();
    }

    [Test]
    public async Task A_message_scheduled_3s_ahead_arrives_once_after_its_time_across_a_restart_of_the_scheduler()
    {
        var first = await StartSchedulerService();
        var dueAt = DateTime.UtcNow.AddSeconds(3);
        await first.Services.GetRequiredService<IMessageScheduler>().ScheduleSend(_probeQueue, dueAt, new ProbePing(1));
        var stored = await Eventually.Poll(PendingCount, n => n == 1, TimeSpan.FromSeconds(10));
        Assert.That(stored, Is.EqualTo(1), "the first instance accepted and stored the schedule");

        await first.StopAsync();
        await StartSchedulerService();

        await Eventually.Poll(() => Task.FromResult(_received.Received.Count), n => n >= 1, TimeSpan.FromSeconds(15));
        await Task.Delay(TimeSpan.FromSeconds(2));
        var received = _received.Received;
        Assert.Multiple(async () =>
        {
            Assert.That(received, Has.Count.EqualTo(1), "delivered exactly once");
            Assert.That(received.Single().ReceivedAt, Is.GreaterThanOrEqualTo(dueAt), "not before its time");
            Assert.That(received.Single().Message.Number, Is.EqualTo(1));
            Assert.That(await PendingCount(), Is.Zero, "nothing left to send");
        });
    }

    [Test]
    public async Task A_cancelled_message_never_arrives_while_its_neighbour_does()
    {
        var service = await StartSchedulerService();
        var scheduler = service.Services.GetRequiredService<IMessageScheduler>();
        var dueAt = DateTime.UtcNow.AddSeconds(2);
        var cancelled = await scheduler.ScheduleSend(_probeQueue, dueAt, new ProbePing(1));
        await scheduler.ScheduleSend(_probeQueue, dueAt, new ProbePing(2));
        await scheduler.CancelScheduledSend(_probeQueue, cancelled.TokenId);

        await Eventually.Poll(() => Task.FromResult(_received.Received.Count), n => n >= 1, TimeSpan.FromSeconds(15));
        await Task.Delay(TimeSpan.FromSeconds(2));

        Assert.That(_received.Received.Select(r => r.Message.Number), Is.EqualTo(OnlyTheNeighbour));
    }

    [Test]
    public async Task Two_scheduler_instances_deliver_each_message_once()
    {
        var first = await StartSchedulerService();
        await StartSchedulerService();
        var scheduler = first.Services.GetRequiredService<IMessageScheduler>();
        var dueAt = DateTime.UtcNow.AddSeconds(2);
        await Task.WhenAll(Enumerable.Range(1, 200).Select(n => scheduler.ScheduleSend(_probeQueue, dueAt, new ProbePing(n))));

        await Eventually.Poll(() => Task.FromResult(_received.Received.Count), n => n >= 200, TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromSeconds(2));

        var numbers = _received.Received.Select(r => r.Message.Number).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(numbers, Has.Count.EqualTo(200), "no message twice, none lost");
            Assert.That(numbers, Is.EquivalentTo(Enumerable.Range(1, 200)));
        });
    }

    [Test]
    public async Task A_saga_schedule_and_a_request_timeout_fire_through_the_durable_scheduler_across_a_restart()
    {
        var first = await StartSchedulerService(bus => bus.AddSagaStateMachine<CounterStateMachine, CounterState>().PostgresRepository<CounterState, TestDbContext>());
        var counterId = Guid.NewGuid();
        var startedAt = DateTime.UtcNow;
        await first.Services.GetRequiredService<IBus>().Publish(new CounterTimerStarted(counterId, 2));
        var waiting = await Eventually.Poll(() => LoadCounter(counterId), c => c?.TimerToken is not null, TimeSpan.FromSeconds(10));
        Assert.That(waiting?.CurrentState, Is.EqualTo("Waiting"));

        await first.StopAsync();
        await StartSchedulerService(bus => bus.AddSagaStateMachine<CounterStateMachine, CounterState>().PostgresRepository<CounterState, TestDbContext>());

        var counter = await Eventually.Poll(() => LoadCounter(counterId), c => c?.CurrentState == "TimedOut", TimeSpan.FromSeconds(60)); // a restart on a busy machine takes its time; what counts is that both fire
        Assert.Multiple(() =>
        {
            Assert.That(counter?.CurrentState, Is.EqualTo("TimedOut"), "the Schedule() timer fired, then the Request timed out");
            Assert.That(counter?.TimerElapsedAt, Is.GreaterThanOrEqualTo(startedAt.AddSeconds(2)), "the timer fired no earlier than asked");
            Assert.That(counter?.CheckTimedOutAt, Is.GreaterThanOrEqualTo(counter?.TimerElapsedAt?.AddSeconds(2) ?? DateTime.MaxValue), "the request waited its 2 s timeout");
        });
    }

    private async Task<IHost> StartSchedulerService(Action<IBusRegistrationConfigurator>? configure = null)
    {
        var host = await ServiceHost.StartAsync(_servers, _database, _prefix, configure ?? (_ => { }));
        _hosts.Add(host);
        return host;
    }

    private async Task<int> PendingCount()
    {
        await using var db = ServiceHost.Open(_database);
        return await db.Set<OutboxMessage>().CountAsync(m => m.TokenId != null && !m.Cancelled);
    }

    private async Task<CounterState?> LoadCounter(Guid counterId)
    {
        await using var db = ServiceHost.Open(_database);
        return await db.Set<CounterState>().AsNoTracking().SingleOrDefaultAsync(c => c.CorrelationId == counterId);
    }
}
