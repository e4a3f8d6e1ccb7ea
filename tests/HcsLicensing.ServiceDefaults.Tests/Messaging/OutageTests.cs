using System.Net;
using HcsLicensing.ServiceDefaults.Database;
using HcsLicensing.ServiceDefaults.Messaging;
using HcsLicensing.ServiceDefaults.Tests.Outbox;
using HcsLicensing.ServiceDefaults.Tests.Support;
using HcsLicensing.TestBed;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using RabbitMQ.Client;

namespace HcsLicensing.ServiceDefaults.Tests.Messaging;

/// <summary>
/// A database outage, made by closing a TCP gate between the service and its PostgreSQL server (connections dropped,
/// new ones refused, as a restart or failover does), is waited out: messages are retried until it ends, not sent to
/// their _error queue, and the APIs answer 503 meanwhile.
/// </summary>
public class OutageTests
{
    private readonly List<IAsyncDisposable> running = [];
    private TestServers servers = null!;
    private string database = null!;
    private TcpGate gate = null!;
    private string prefix = null!;

    [SetUp]
    public async Task CreateDatabaseBehindAGate()
    {
        servers = await SharedTestServers.GetAsync();
        database = await ServiceHost.CreateDatabaseAsync(servers);
        gate = new TcpGate(new NpgsqlConnectionStringBuilder(database).Port);
        prefix = ServiceHost.NewPrefix("outage");
    }

    [TearDown]
    public async Task Stop()
    {
        gate.Open();
        foreach (var item in Enumerable.Reverse(running))
        {
            await item.DisposeAsync();
        }

        running.Clear();
        await gate.DisposeAsync();
    }

    [Test]
    public async Task A_message_that_meets_a_database_outage_is_consumed_once_the_database_is_back_and_never_dead_lettered()
    {
        var written = new Recorder<NoteWritten>();
        var runs = new NoteWriterRuns();
        var host = await StartNoteWriterAsync(ThroughGate(), written, runs);

        gate.Close();
        var note = Guid.NewGuid();
        await (await host.Services.GetRequiredService<IBus>().GetSendEndpoint(new Uri($"queue:{prefix}-notes"))).Send(new WriteNote(note, "during the outage"));
        // The outage lasts: the message is retried all along (1 s, 2 s, 4 s apart), and never gets to run.
        await Task.Delay(TimeSpan.FromSeconds(8));
        var duringOutage = (Runs: runs.Of(note), Errors: await ErrorQueueDepth($"{prefix}-notes_error"));
        gate.Open();

        var seen = await Eventually.Poll(() => Task.FromResult(written.Received.Any(w => w.Message.NoteId == note)), s => s, TimeSpan.FromSeconds(60));
        Assert.Multiple(async () =>
        {
            Assert.That(duringOutage.Runs, Is.Zero, "nothing ran while the database was away");
            Assert.That(duringOutage.Errors, Is.Null.Or.Zero, "nothing went to the _error queue during the outage");
            Assert.That(seen, Is.True, "the message was consumed once the database was back");
            Assert.That(runs.Of(note), Is.EqualTo(1));
            Assert.That(await ErrorQueueDepth($"{prefix}-notes_error"), Is.Null.Or.Zero);
        });
    }

    [Test]
    public async Task A_database_that_only_reads_as_a_standby_does_during_a_failover_is_waited_out_too()
    {
        var written = new Recorder<NoteWritten>();
        var host = await StartNoteWriterAsync(database, written, new NoteWriterRuns());

        // What a client meets when its address still leads to a standby, or to a primary being demoted: every session
        // is read-only and each write fails with 25006 until the connection reaches the new primary.
        await SetReadOnlyAsync(true);
        var note = Guid.NewGuid();
        await (await host.Services.GetRequiredService<IBus>().GetSendEndpoint(new Uri($"queue:{prefix}-notes"))).Send(new WriteNote(note, "during the failover"));
        await Task.Delay(TimeSpan.FromSeconds(8));
        // The consumer runs and its write fails each time; that says nothing about the message, so it is retried.
        var duringFailover = (Notes: await NotesAsync(note), Errors: await ErrorQueueDepth($"{prefix}-notes_error"));
        await SetReadOnlyAsync(false);

        var seen = await Eventually.Poll(() => Task.FromResult(written.Received.Any(w => w.Message.NoteId == note)), s => s, TimeSpan.FromSeconds(60));
        Assert.Multiple(async () =>
        {
            Assert.That(duringFailover.Notes, Is.Zero, "nothing was written while the database took no writes");
            Assert.That(duringFailover.Errors, Is.Null.Or.Zero, "nothing went to the _error queue meanwhile");
            Assert.That(seen, Is.True, "the message was consumed once the database took writes again");
            Assert.That(await NotesAsync(note), Is.EqualTo(1), "written once");
            Assert.That(written.Received.Count(w => w.Message.NoteId == note), Is.EqualTo(1), "announced once");
            Assert.That(await ErrorQueueDepth($"{prefix}-notes_error"), Is.Null.Or.Zero);
        });
    }

    [Test]
    public async Task An_api_answers_503_with_a_problem_and_retry_after_while_its_database_is_away()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Database"] = ThroughGate(),
            ["ConnectionStrings:RabbitMq"] = servers.RabbitMq.AmqpUri.ToString(),
            ["Messaging:EndpointPrefix"] = prefix + "-",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.AddServiceDefaults("OutageTest");
        builder.AddServiceDatabase<TestDbContext>();
        builder.AddServiceBus<TestDbContext>(_ => { });
        var app = builder.Build();
        app.MapServiceDefaults();
        app.MapGet("/notes/count", async (TestDbContext db) => await db.Set<Note>().CountAsync());
        await app.StartAsync();
        running.Add(app);
        using var http = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First()) };
        var before = await http.GetAsync("/notes/count");

        gate.Close();
        var during = await http.GetAsync("/notes/count");
        var problem = await during.Content.ReadAsStringAsync();
        gate.Open();
        var after = await Eventually.Poll(() => http.GetAsync("/notes/count"), r => r.IsSuccessStatusCode, TimeSpan.FromSeconds(20));

        Assert.Multiple(() =>
        {
            Assert.That(before.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(during.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(during.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That(problem, Does.Contain("database cannot be reached"));
            Assert.That(during.Headers.RetryAfter, Is.Not.Null);
            Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.OK), "back to normal without a restart");
        });
    }

    /// <summary>A service whose NoteWriter writes a note and announces it (recorded in <paramref name="written"/>).</summary>
    private async Task<IHost> StartNoteWriterAsync(string connectionString, Recorder<NoteWritten> written, NoteWriterRuns runs)
    {
        var host = await ServiceHost.StartAsync(
            servers,
            connectionString,
            prefix,
            bus =>
            {
                bus.AddConsumer<NoteWriter>().Endpoint(e => e.Name = $"{prefix}-notes");
                bus.AddConsumer<RecordingConsumer<NoteWritten>>().Endpoint(e => e.Name = $"{prefix}-written");
            },
            // Without the outage policy, one quick retry would send the message to _error within milliseconds.
            new Dictionary<string, string?> { ["Messaging:RetryLimit"] = "1" },
            services => services.AddSingleton(written).AddSingleton(runs));
        running.Add(new HostHandle(host));
        return host;
    }

    /// <summary>Makes every new session of the test's database read-only (or not) and ends the current ones, as a failover does.</summary>
    private async Task SetReadOnlyAsync(bool readOnly)
    {
        var name = new NpgsqlConnectionStringBuilder(database).Database!;
        await using var admin = new NpgsqlConnection(servers.Postgres.AdminConnectionString);
        await admin.OpenAsync();
        await using (var alter = new NpgsqlCommand($"ALTER DATABASE \"{name}\" SET default_transaction_read_only = {(readOnly ? "on" : "off")}", admin))
        {
            await alter.ExecuteNonQueryAsync();
        }

        await using var terminate = new NpgsqlCommand("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = @name AND pid <> pg_backend_pid()", admin);
        terminate.Parameters.AddWithValue("name", name);
        await terminate.ExecuteScalarAsync();
    }

    private async Task<int> NotesAsync(Guid note)
    {
        // A connection of its own: the pool's are those SetReadOnlyAsync ends.
        await using var db = ServiceHost.Open(new NpgsqlConnectionStringBuilder(database) { Pooling = false }.ConnectionString);
        return await db.Set<Note>().CountAsync(n => n.Id == note);
    }

    private string ThroughGate() => new NpgsqlConnectionStringBuilder(database) { Host = "127.0.0.1", Port = gate.Port }.ConnectionString;

    private async Task<uint?> ErrorQueueDepth(string queue)
    {
        var factory = new ConnectionFactory { Uri = servers.RabbitMq.AmqpUri };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            return null; // never created: nothing was ever dead-lettered there
        }
    }

    private sealed class HostHandle(IHost host) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await host.StopAsync();
            host.Dispose();
        }
    }
}
