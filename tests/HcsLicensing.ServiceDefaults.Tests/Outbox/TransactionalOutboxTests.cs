using HcsLicensing.ServiceDefaults.Outbox;
using HcsLicensing.ServiceDefaults.Tests.Support;
using HcsLicensing.TestBed;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RabbitMQ.Client;

namespace HcsLicensing.ServiceDefaults.Tests.Outbox;

/// <summary>
/// The transactional outbox and inbox on real RabbitMQ and PostgreSQL. The note queue takes one message at a time, in
/// order, so a marker message sent after the one under test tells when that one has been dealt with, without sleeping.
/// </summary>
public class TransactionalOutboxTests
{
    private readonly List<IHost> hosts = [];
    private TestServers servers = null!;
    private string database = null!;
    private string prefix = null!;
    private Recorder<NoteWritten> written = null!;
    private NoteWriterRuns runs = null!;
    private Uri notes = null!;

    [SetUp]
    public async Task CreateDatabase()
    {
        servers = await SharedTestServers.GetAsync();
        database = await ServiceHost.CreateDatabaseAsync(servers);
        prefix = ServiceHost.NewPrefix("outbox");
        written = new Recorder<NoteWritten>();
        runs = new NoteWriterRuns();
        notes = new Uri($"queue:{prefix}-notes");
    }

    [TearDown]
    public async Task StopHosts()
    {
        foreach (var host in hosts)
        {
            await host.StopAsync();
            host.Dispose();
        }

        hosts.Clear();
    }

    [Test]
    public async Task A_message_delivered_twice_runs_its_consumer_once_and_its_messages_leave_once()
    {
        var service = await StartService();
        var note = Guid.NewGuid();
        var messageId = NewId.NextGuid();
        var endpoint = await service.Services.GetRequiredService<IBus>().GetSendEndpoint(notes);
        await endpoint.Send(new WriteNote(note, "first"), send => send.MessageId = messageId);
        await endpoint.Send(new WriteNote(note, "the same message again"), send => send.MessageId = messageId);

        await WaitForWritten(note);
        await WaitForMarker(endpoint);

        Assert.Multiple(async () =>
        {
            Assert.That(runs.Of(note), Is.EqualTo(1), "the repeat was acknowledged without running the consumer");
            Assert.That(written.Received.Count(w => w.Message.NoteId == note), Is.EqualTo(1), "NoteWritten left once");
            Assert.That(await NoteText(note), Is.EqualTo("first"));
            Assert.That(await InboxHas(messageId), Is.True, "the inbox remembers the message");
        });
    }

    [Test]
    public async Task A_consumer_that_fails_after_saving_and_publishing_leaves_neither_its_row_nor_its_message()
    {
        var service = await StartService();
        var note = Guid.NewGuid();
        var endpoint = await service.Services.GetRequiredService<IBus>().GetSendEndpoint(notes);
        await endpoint.Send(new WriteNote(note, "doomed", Fail: true));

        await WaitForMarker(endpoint);

        Assert.Multiple(async () =>
        {
            Assert.That(runs.Of(note), Is.EqualTo(2), "it ran, was retried once (RetryLimit 1), and failed both times");
            Assert.That(written.Received.Any(w => w.Message.NoteId == note), Is.False, "what it published never left");
            Assert.That(await NoteText(note), Is.Null, "what it saved was rolled back");
            Assert.That(await ErrorQueueDepth(), Is.EqualTo(1), "the message is in the _error queue, not lost");
        });
    }

    [Test]
    public async Task A_message_the_dispatcher_sends_twice_after_a_crash_is_consumed_once()
    {
        var service = await StartService();
        var note = Guid.NewGuid();
        var messageId = NewId.NextGuid();
        // What a dispatcher that crashed after the broker's confirm and before its commit does: the row goes out again,
        // with the same message id.
        await using (var scope = service.Services.CreateAsyncScope())
        {
            var outbox = scope.ServiceProvider.GetRequiredService<TransactionalOutbox<TestDbContext>>();
            var endpoint = await outbox.Send.GetSendEndpoint(notes);
            await endpoint.Send(new WriteNote(note, "once"), send => send.MessageId = messageId);
            await endpoint.Send(new WriteNote(note, "once"), send => send.MessageId = messageId);
            await outbox.SaveChangesAsync(CancellationToken.None);
        }

        // Both rows sent (the marker goes straight to the queue, so it must not overtake them), then the marker.
        await Eventually.Poll(OutboxRows, rows => rows == 0, TimeSpan.FromSeconds(20));
        await WaitForWritten(note);
        await WaitForMarker(await service.Services.GetRequiredService<IBus>().GetSendEndpoint(notes));

        Assert.Multiple(() =>
        {
            Assert.That(runs.Of(note), Is.EqualTo(1));
            Assert.That(written.Received.Count(w => w.Message.NoteId == note), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Outside_a_consumer_messages_leave_only_when_the_outbox_is_saved()
    {
        var service = await StartService();
        var abandoned = Guid.NewGuid();
        await using (var scope = service.Services.CreateAsyncScope())
        {
            // An HTTP request that fails (or a client that hangs up) before its changes are saved.
            var outbox = scope.ServiceProvider.GetRequiredService<TransactionalOutbox<TestDbContext>>();
            var endpoint = await outbox.Send.GetSendEndpoint(notes);
            await endpoint.Send(new WriteNote(abandoned, "never saved"));
        }

        var saved = Guid.NewGuid();
        await using (var scope = service.Services.CreateAsyncScope())
        {
            var outbox = scope.ServiceProvider.GetRequiredService<TransactionalOutbox<TestDbContext>>();
            var endpoint = await outbox.Send.GetSendEndpoint(notes);
            await endpoint.Send(new WriteNote(saved, "saved"));
            await outbox.SaveChangesAsync(CancellationToken.None);
        }

        await Eventually.Poll(() => Task.FromResult(written.Received.Any(w => w.Message.NoteId == saved)), seen => seen, TimeSpan.FromSeconds(20));
        await WaitForMarker(await service.Services.GetRequiredService<IBus>().GetSendEndpoint(notes));
        // The consumer's own outgoing rows are deleted just after their send, which may be a moment after the marker.
        var rowsLeft = await Eventually.Poll(OutboxRows, rows => rows == 0, TimeSpan.FromSeconds(20));

        Assert.Multiple(() =>
        {
            Assert.That(runs.Of(saved), Is.EqualTo(1));
            Assert.That(runs.Of(abandoned), Is.Zero, "nothing of the unsaved scope was sent");
            Assert.That(rowsLeft, Is.Zero, "sent rows are deleted");
        });
    }

    [Test]
    public async Task A_commit_wakes_the_dispatcher_at_once_rather_than_at_its_next_poll()
    {
        var service = await StartService(new() { ["Outbox:PollInterval"] = "00:01:00" });
        var note = Guid.NewGuid();
        await using (var scope = service.Services.CreateAsyncScope())
        {
            var outbox = scope.ServiceProvider.GetRequiredService<TransactionalOutbox<TestDbContext>>();
            await (await outbox.Send.GetSendEndpoint(notes)).Send(new WriteNote(note, "now"));
            await outbox.SaveChangesAsync(CancellationToken.None);
        }

        // A minute's poll would miss this by far; the commit's notification does not.
        var seen = await Eventually.Poll(() => Task.FromResult(written.Received.Any(w => w.Message.NoteId == note)), s => s, TimeSpan.FromSeconds(15));
        Assert.That(seen, Is.True, "sent on the commit's notification, not the one-minute poll");
    }

    [Test]
    public async Task A_send_with_a_delay_waits_in_the_outbox_until_its_time()
    {
        var service = await StartService();
        var note = Guid.NewGuid();
        var dueAt = DateTime.UtcNow.AddSeconds(2);
        await using (var scope = service.Services.CreateAsyncScope())
        {
            var outbox = scope.ServiceProvider.GetRequiredService<TransactionalOutbox<TestDbContext>>();
            await (await outbox.Send.GetSendEndpoint(notes)).Send(new WriteNote(note, "later"), send => send.Delay = TimeSpan.FromSeconds(2));
            await outbox.SaveChangesAsync(CancellationToken.None);
        }

        await Eventually.Poll(() => Task.FromResult(written.Received.Any(w => w.Message.NoteId == note)), s => s, TimeSpan.FromSeconds(20));
        var arrived = written.Received.Single(w => w.Message.NoteId == note).ReceivedAt;
        Assert.That(arrived, Is.GreaterThanOrEqualTo(dueAt), "not before its time (no delayed-exchange plugin involved)");
    }

    [Test]
    public async Task A_message_that_cannot_be_sent_is_set_aside_alone_and_the_others_go()
    {
        var service = await StartService(new() { ["Outbox:MaxAttempts"] = "2" });
        await using (var db = ServiceHost.Open(database))
        {
            // A row whose body no serializer reads, as a corrupted or hand-edited row would be.
            db.Set<OutboxMessage>().Add(new OutboxMessage
            {
                MessageId = NewId.NextGuid(),
                DueAt = DateTime.UtcNow,
                Destination = notes.ToString(),
                ContentType = "application/vnd.masstransit+json",
                MessageType = "urn:message:HcsLicensing.ServiceDefaults.Tests.Outbox:WriteNote",
                Body = "{ this is not json",
                SentTime = DateTime.UtcNow,
                CreatedAt = DateTime.UtcNow,
            });
            await db.SaveChangesAsync();
        }

        var notes3 = Enumerable.Range(0, 3).Select(_ => Guid.NewGuid()).ToList();
        await using (var scope = service.Services.CreateAsyncScope())
        {
            var outbox = scope.ServiceProvider.GetRequiredService<TransactionalOutbox<TestDbContext>>();
            var endpoint = await outbox.Send.GetSendEndpoint(notes);
            foreach (var note in notes3)
            {
                await endpoint.Send(new WriteNote(note, "fine"));
            }

            await outbox.SaveChangesAsync(CancellationToken.None);
        }

        await Eventually.Poll(() => Task.FromResult(notes3.All(n => written.Received.Any(w => w.Message.NoteId == n))), all => all, TimeSpan.FromSeconds(20));
        var poison = await Eventually.Poll(PoisonRow, row => row?.DeadAt is not null, TimeSpan.FromSeconds(20));
        Assert.Multiple(async () =>
        {
            Assert.That(poison?.DeadAt, Is.Not.Null, "set aside after Outbox:MaxAttempts");
            Assert.That(poison?.LastError, Is.Not.Empty, "with the reason, for an operator");
            Assert.That(await OutboxRows(), Is.EqualTo(1), "the good rows went and were deleted; only the bad one stays");
        });
    }

    private async Task<IHost> StartService(Dictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>
        {
            // One message at a time, in order, on every endpoint: the marker then comes after what was sent before it.
            ["Messaging:ConcurrentMessageLimit"] = "1",
            ["Messaging:PrefetchCount"] = "1",
            ["Messaging:RetryLimit"] = "1",
        };
        foreach (var (key, value) in settings ?? [])
        {
            all[key] = value;
        }

        var host = await ServiceHost.StartAsync(
            servers,
            database,
            prefix,
            bus =>
            {
                bus.AddConsumer<NoteWriter>().Endpoint(e => e.Name = $"{prefix}-notes");
                bus.AddConsumer<RecordingConsumer<NoteWritten>>().Endpoint(e => e.Name = $"{prefix}-written");
            },
            all,
            services => services.AddSingleton(written).AddSingleton(runs));
        hosts.Add(host);
        return host;
    }

    /// <summary>Sends a marker note after what the test sent and waits until its NoteWritten arrived.</summary>
    /// <summary>
    /// The note's NoteWritten has arrived. Needed before the marker: the two messages run concurrently and their events
    /// leave through the outbox in either order, so the marker's can come first (it did once in CI under load).
    /// </summary>
    private async Task WaitForWritten(Guid note) =>
        await Eventually.Poll(() => Task.FromResult(written.Received.Count(w => w.Message.NoteId == note)), count => count >= 1, TimeSpan.FromSeconds(30));

    /// <summary>A marker sent after the messages under test has come through: a repeat of theirs would have too.</summary>
    private async Task WaitForMarker(ISendEndpoint endpoint)
    {
        var marker = Guid.NewGuid();
        await endpoint.Send(new WriteNote(marker, "marker"));
        var seen = await Eventually.Poll(() => Task.FromResult(written.Received.Any(w => w.Message.NoteId == marker)), s => s, TimeSpan.FromSeconds(30));
        Assert.That(seen, Is.True, "the marker came through");
    }

    private async Task<string?> NoteText(Guid note)
    {
        await using var db = ServiceHost.Open(database);
        return await db.Set<Note>().Where(n => n.Id == note).Select(n => n.Text).SingleOrDefaultAsync();
    }

    private async Task<bool> InboxHas(Guid messageId)
    {
        await using var db = ServiceHost.Open(database);
        return await db.Set<InboxMessage>().AnyAsync(m => m.MessageId == messageId);
    }

    private async Task<int> OutboxRows()
    {
        await using var db = ServiceHost.Open(database);
        return await db.Set<OutboxMessage>().CountAsync();
    }

    private async Task<OutboxMessage?> PoisonRow()
    {
        await using var db = ServiceHost.Open(database);
        return await db.Set<OutboxMessage>().AsNoTracking().SingleOrDefaultAsync(m => m.Body == "{ this is not json");
    }

    private async Task<uint> ErrorQueueDepth()
    {
        var factory = new ConnectionFactory { Uri = servers.RabbitMq.AmqpUri };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var queue = await channel.QueueDeclarePassiveAsync($"{prefix}-notes_error");
        return queue.MessageCount;
    }
}
