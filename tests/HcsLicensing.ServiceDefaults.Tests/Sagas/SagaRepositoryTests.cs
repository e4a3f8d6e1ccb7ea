using System.Diagnostics;
using HcsLicensing.ServiceDefaults.Tests.Support;
using HcsLicensing.TestBed;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RabbitMQ.Client;
using HcsLicensing.ServiceDefaults.Sagas;

namespace HcsLicensing.ServiceDefaults.Tests.Sagas;

/// <summary>The PostgreSQL saga repository under contention, on real RabbitMQ and PostgreSQL.</summary>
public class SagaRepositoryTests
{
    private TestServers _servers = null!;
    private string _database = null!;
    private string _prefix = null!;
    private readonly List<IHost> _hosts = [];

    [SetUp]
    public async Task StartService()
    {
        _servers = await SharedTestServers.GetAsync();
        _database = await ServiceHost.CreateDatabaseAsync(_servers);
        _prefix = ServiceHost.NewPrefix("saga");
    }

    [TearDown]
    public async Task StopService()
    {
        foreach (var host in _hosts)
        {
            await host.StopAsync();
            host.Dispose();
        }

        _hosts.Clear();
    }

    /// <summary>Two service instances compete for the queue, 16 messages at a time each: conflicts within and across processes.</summary>
    [Test]
    public async Task Two_hundred_concurrent_events_for_one_instance_are_all_applied()
    {
        var recorder = new Recorder<CounterSabotagePublished>();
        var settings = new Dictionary<string, string?> { ["Messaging:ConcurrentMessageLimit"] = "16" };
        var bus = (await StartCounterService(recorder, settings)).Services.GetRequiredService<IBus>();
        await StartCounterService(recorder, settings);
        var counterId = Guid.NewGuid();
        // Warm up (first connections, EF model, JIT) so that the figure measures contention, not start-up.
        var warmUp = Guid.NewGuid();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => bus.Publish(new CounterIncremented(warmUp))));
        await Eventually.Poll(() => LoadCounter(warmUp), c => c?.Count == 4, TimeSpan.FromSeconds(30));

        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => bus.Publish(new CounterIncremented(counterId))));
        var counter = await Eventually.Poll(() => LoadCounter(counterId), c => c?.Count >= 200, TimeSpan.FromSeconds(60));
        clock.Stop();

        await TestContext.Out.WriteLineAsync($"200 events for one saga instance, 2 instances x 16 concurrent, applied in {clock.Elapsed.TotalMilliseconds:F0} ms: {200 / clock.Elapsed.TotalSeconds:F0} events/s");
        Assert.That(counter?.Count, Is.EqualTo(200));
    }

    /// <summary>Two service instances, so the creations really race in the database (within one process they queue).</summary>
    [Test]
    public async Task Twenty_racing_creations_with_one_correlation_id_make_exactly_one_instance()
    {
        var recorder = new Recorder<CounterSabotagePublished>();
        var settings = new Dictionary<string, string?> { ["Messaging:ConcurrentMessageLimit"] = "10" };
        var bus = (await StartCounterService(recorder, settings)).Services.GetRequiredService<IBus>();
        await StartCounterService(recorder, settings);
        var counterId = Guid.NewGuid();

        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => bus.Publish(new CounterIncremented(counterId))));
        var counter = await Eventually.Poll(() => LoadCounter(counterId), c => c?.Count >= 20, TimeSpan.FromSeconds(30));

        await using var db = ServiceHost.Open(_database);
        Assert.Multiple(async () =>
        {
            Assert.That(await db.Set<CounterState>().CountAsync(), Is.EqualTo(1), "instances");
            Assert.That(counter?.Count, Is.EqualTo(20), "every creating event applied once");
        });
    }

    [Test]
    public async Task A_transition_that_publishes_then_throws_leaves_no_state_change_and_no_message()
    {
        var recorder = new Recorder<CounterSabotagePublished>();
        var bus = (await StartCounterService(recorder, new Dictionary<string, string?> { ["Messaging:RetryLimit"] = "2" })).Services.GetRequiredService<IBus>();
        var counterId = Guid.NewGuid();
        await bus.Publish(new CounterIncremented(counterId));
        await Eventually.Poll(() => LoadCounter(counterId), c => c?.Count == 1, TimeSpan.FromSeconds(20));

        await bus.Publish(new CounterSabotaged(counterId));
        var faulted = await Eventually.Poll(() => ErrorQueueMessageAsync($"{_prefix}-counter-state_error"), m => m is not null, TimeSpan.FromSeconds(30));

        var counter = await LoadCounter(counterId);
        Assert.Multiple(() =>
        {
            Assert.That(faulted, Is.Not.Null, "the failed event is kept in the error queue");
            Assert.That(faulted, Does.Contain("sabotage after publish"), "with the reason it failed");
            Assert.That(counter?.Count, Is.EqualTo(1), "the transition's change was rolled back");
            Assert.That(counter?.CurrentState, Is.EqualTo("Counting"));
            Assert.That(recorder.Received, Is.Empty, "the message published before the throw never left");
        });
    }

    private async Task<IHost> StartCounterService(Recorder<CounterSabotagePublished> recorder, IDictionary<string, string?> settings)
    {
        var host = await ServiceHost.StartAsync(
            _servers,
            _database,
            _prefix,
            bus =>
            {
                bus.AddSagaStateMachine<CounterStateMachine, CounterState>().PostgresRepository<CounterState, TestDbContext>();
                bus.AddConsumer<RecordingConsumer<CounterSabotagePublished>>();
            },
            settings,
            services => services.AddSingleton(recorder));
        _hosts.Add(host);
        return host;
    }

    private async Task<CounterState?> LoadCounter(Guid counterId)
    {
        await using var db = ServiceHost.Open(_database);
        return await db.Set<CounterState>().AsNoTracking().SingleOrDefaultAsync(c => c.CorrelationId == counterId);
    }

    /// <summary>The fault reason MassTransit put on the first message of an error queue, if any.</summary>
    private async Task<string?> ErrorQueueMessageAsync(string queue)
    {
        var factory = new ConnectionFactory { Uri = _servers.RabbitMq.AmqpUri };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            var message = await channel.BasicGetAsync(queue, autoAck: false);
            if (message?.BasicProperties.Headers?.TryGetValue("MT-Fault-Message", out var reason) == true && reason is byte[] bytes)
            {
                return System.Text.Encoding.UTF8.GetString(bytes);
            }

            return null;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            // The error queue does not exist until the first fault.
            return null;
        }
    }
}
