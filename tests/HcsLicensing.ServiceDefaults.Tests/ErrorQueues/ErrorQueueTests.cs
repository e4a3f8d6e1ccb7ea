using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using HcsLicensing.ServiceDefaults.ErrorQueues;
using HcsLicensing.ServiceDefaults.Security;
using HcsLicensing.TestBed;
using RabbitMQ.Client;

namespace HcsLicensing.ServiceDefaults.Tests.ErrorQueues;

/// <summary>
/// A service's error queues, operated through its admin API, its command line and its depth gauge, on the test bed's
/// real RabbitMQ: what failed is shown with why (never its body), listing changes nothing, and moving puts back exactly
/// the chosen messages, which the consumer then handles.
/// </summary>
public class ErrorQueueTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private TestServers servers = null!;
    private ErrorQueueHost host = null!;
    private HttpClient admin = null!;

    [SetUp]
    public async Task StartService()
    {
        servers = await SharedTestServers.GetAsync();
        host = await ErrorQueueHost.StartAsync(servers);
        admin = host.Client();
    }

    [TearDown]
    public async Task StopService()
    {
        admin.Dispose();
        await host.DisposeAsync();
    }

    [Test]
    public async Task A_message_that_fails_lands_in_the_error_queue_and_the_list_shows_it_with_its_reason_and_no_body()
    {
        const string secret = "s3cr3t-registration-token";
        var id = await host.SendWorkAsync("first", secret);
        var queues = await Eventually.Poll(ListQueuesAsync, list => list.Items.Any(q => q.Queue == host.ErrorQueue && q.Depth == 1), Wait);

        using var response = await admin.GetAsync(new Uri($"admin/error-queues/{host.ErrorQueue}/messages", UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        var page = await response.Content.ReadFromJsonAsync<ErrorQueueMessagesDto>();
        var message = page!.Items.Single();
        Assert.Multiple(() =>
        {
            Assert.That(queues.Items.Select(q => q.Queue), Is.EquivalentTo(new[] { $"{host.Prefix}-scheduler_error", host.ErrorQueue }), "one per receive endpoint, with the prefix");
            Assert.That(queues.Items.Single(q => q.Queue == host.ErrorQueue).ReceiveQueue, Is.EqualTo(host.WorkQueue));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(page.Depth, Is.EqualTo(1));
            Assert.That(message.MessageId, Is.EqualTo(id.ToString()));
            Assert.That(message.MessageTypes, Does.Contain($"urn:message:{typeof(DoWork).Namespace}:{nameof(DoWork)}"));
            Assert.That(message.DestinationQueue, Is.EqualTo(host.WorkQueue));
            Assert.That(message.Reason, Is.EqualTo("fault"));
            Assert.That(message.ExceptionType, Is.EqualTo(typeof(InvalidOperationException).FullName));
            Assert.That(message.ExceptionMessage, Is.EqualTo("work first cannot be done yet"));
            Assert.That(message.FaultedAt, Is.EqualTo(DateTimeOffset.UtcNow).Within(TimeSpan.FromMinutes(2)));
            Assert.That(body, Does.Not.Contain(secret), "the message's content is never shown");
        });
    }

    [Test]
    public async Task Listing_leaves_the_error_queue_depth_and_order_unchanged()
    {
        var sent = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            sent.Add(await host.SendWorkAsync($"order-{i}"));
        }

        await Eventually.Poll(() => DepthAsync(host.ErrorQueue), depth => depth == 5, Wait);
        var first = await ListMessageIdsAsync();
        var second = await ListMessageIdsAsync();
        var depthAfter = await DepthAsync(host.ErrorQueue);
        var asTheBrokerHasThem = await PeekWithOwnChannelAsync(host.ErrorQueue);

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EquivalentTo(sent.Select(id => id.ToString())), "all five listed");
            Assert.That(second, Is.EqualTo(first), "the same messages in the same order after a listing");
            Assert.That(asTheBrokerHasThem, Is.EqualTo(first), "in the queue in the order listed");
            Assert.That(depthAfter, Is.EqualTo(5), "nothing consumed");
            Assert.That(host.Done.Received, Is.Empty);
        });
    }

    [Test]
    public async Task Moving_one_message_puts_exactly_it_back_and_the_consumer_now_handles_it()
    {
        var ids = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await host.SendWorkAsync($"move-one-{i}"));
        }

        await Eventually.Poll(() => DepthAsync(host.ErrorQueue), depth => depth == 3, Wait);
        host.Gate.Open = true;
        var chosen = ids[1];

        using var response = await admin.PostAsJsonAsync(new Uri($"admin/error-queues/{host.ErrorQueue}/move", UriKind.Relative), new { messageIds = new[] { chosen.ToString() } });
        var moved = await response.Content.ReadFromJsonAsync<MovedDto>();
        var done = await Eventually.Poll(() => Task.FromResult(host.Done.Received), received => received.Count >= 1, Wait);
        var left = await ListMessageIdsAsync();

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(moved!.Moved, Is.EqualTo(1));
            Assert.That(moved.MessageIds, Is.EqualTo(new[] { chosen.ToString() }));
            Assert.That(done.Select(d => d.MessageId), Is.EqualTo(new Guid?[] { chosen }), "exactly the chosen message was consumed, with its own id");
            Assert.That(left, Is.EquivalentTo(new[] { ids[0].ToString(), ids[2].ToString() }), "the others stay");
        });
    }

    [Test]
    public async Task Moving_all_empties_the_error_queue_and_each_message_is_consumed_once()
    {
        var ids = new List<Guid>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add(await host.SendWorkAsync($"move-all-{i}"));
        }

        await Eventually.Poll(() => DepthAsync(host.ErrorQueue), depth => depth == 4, Wait);
        host.Gate.Open = true;

        using var response = await admin.PostAsJsonAsync(new Uri($"admin/error-queues/{host.ErrorQueue}/move", UriKind.Relative), new { all = true });
        var moved = await response.Content.ReadFromJsonAsync<MovedDto>();
        var done = await Eventually.Poll(() => Task.FromResult(host.Done.Received), received => received.Count >= 4, Wait);

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(moved!.Moved, Is.EqualTo(4));
            Assert.That(done.Select(d => d.MessageId), Is.EquivalentTo(ids.Cast<Guid?>()), "each once");
            Assert.That(await DepthAsync(host.ErrorQueue), Is.Zero);
        });
    }

    [Test]
    public async Task Moving_an_id_that_is_not_there_moves_nothing_and_answers_a_404_problem_naming_it()
    {
        var known = await host.SendWorkAsync("stays");
        await Eventually.Poll(() => DepthAsync(host.ErrorQueue), depth => depth == 1, Wait);
        var unknown = Guid.NewGuid().ToString();

        using var response = await admin.PostAsJsonAsync(
            new Uri($"admin/error-queues/{host.ErrorQueue}/move", UriKind.Relative), new { messageIds = new[] { known.ToString(), unknown } });
        var problem = await response.Content.ReadAsStringAsync();
        using var empty = await admin.PostAsJsonAsync(new Uri($"admin/error-queues/{host.ErrorQueue}/move", UriKind.Relative), new { });

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That(problem, Does.Contain(unknown).And.Not.Contain($"\"{known}\""), "names the unknown id only");
            Assert.That(await ListMessageIdsAsync(), Is.EqualTo(new[] { known.ToString() }), "nothing moved");
            Assert.That(empty.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(await empty.Content.ReadAsStringAsync(), Does.Contain("messageIds"), "a body naming nothing: 400 naming the field");
        });
    }

    [Test]
    public async Task An_unknown_queue_gets_a_404_problem_naming_it()
    {
        using var list = await admin.GetAsync(new Uri("admin/error-queues/someone-elses_error/messages", UriKind.Relative));
        using var move = await admin.PostAsJsonAsync(new Uri("admin/error-queues/someone-elses_error/move", UriKind.Relative), new { all = true });

        Assert.Multiple(async () =>
        {
            foreach (var response in new[] { list, move })
            {
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
                Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
                Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("someone-elses_error").And.Contain(host.ErrorQueue), "names it, and the queues there are");
            }
        });
    }

    [Test]
    public async Task A_token_without_hcs_admin_gets_a_403_problem_on_every_error_queue_endpoint()
    {
        using var operatorClient = host.Client(HcsPermissions.Read, HcsPermissions.Operate);
        using var queues = await operatorClient.GetAsync(new Uri("admin/error-queues", UriKind.Relative));
        using var messages = await operatorClient.GetAsync(new Uri($"admin/error-queues/{host.ErrorQueue}/messages", UriKind.Relative));
        using var move = await operatorClient.PostAsJsonAsync(new Uri($"admin/error-queues/{host.ErrorQueue}/move", UriKind.Relative), new { all = true });

        Assert.Multiple(async () =>
        {
            foreach (var response in new[] { queues, messages, move })
            {
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
                Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain(HcsPermissions.Admin));
            }
        });
    }

    [Test]
    public async Task The_depth_gauge_reports_each_error_queue_by_name()
    {
        var depths = new ConcurrentDictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == ErrorQueueDepthGauge.InstrumentName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "queue", Value: string queue })
                {
                    depths[queue] = value;
                }
            }
        });
        listener.Start();

        listener.RecordObservableInstruments();
        var before = depths.GetValueOrDefault(host.ErrorQueue, -1);
        await host.SendWorkAsync("counted");
        await host.SendWorkAsync("counted too");
        var after = await Eventually.Poll(
            () =>
            {
                listener.RecordObservableInstruments();
                return Task.FromResult(depths.GetValueOrDefault(host.ErrorQueue, -1));
            },
            depth => depth == 2,
            Wait);

        Assert.Multiple(() =>
        {
            Assert.That(before, Is.Zero, "reported before anything failed");
            Assert.That(after, Is.EqualTo(2));
            Assert.That(depths.Keys, Does.Contain($"{host.Prefix}-scheduler_error"));
        });
    }

    [Test]
    public async Task The_errors_command_lists_and_moves_with_exit_codes_an_operator_can_script()
    {
        var id = await host.SendWorkAsync("by hand");
        await Eventually.Poll(() => DepthAsync(host.ErrorQueue), depth => depth == 1, Wait);
        host.Gate.Open = true;

        var queues = await RunAsync("list");
        var messages = await RunAsync("list", "work"); // the receive queue's name without the prefix will do
        var unknownQueue = await RunAsync("move", "nowhere", "--all");
        var unknownId = await RunAsync("move", host.ErrorQueue, Guid.NewGuid().ToString());
        var wrong = await RunAsync("move", host.ErrorQueue);
        var moved = await RunAsync("move", host.ErrorQueue, id.ToString());
        await Eventually.Poll(() => Task.FromResult(host.Done.Received), received => received.Count == 1, Wait);

        Assert.Multiple(() =>
        {
            Assert.That(queues.ExitCode, Is.Zero);
            Assert.That(queues.Output, Does.Match($@"{host.ErrorQueue}\s+1\s+{host.WorkQueue}"));
            Assert.That(messages.ExitCode, Is.Zero);
            Assert.That(messages.Output, Does.Contain(id.ToString()).And.Contain("DoWork").And.Contain("work by hand cannot be done yet"));
            Assert.That(unknownQueue.ExitCode, Is.EqualTo(1));
            Assert.That(unknownQueue.Error, Does.Contain("nowhere"));
            Assert.That(unknownId.ExitCode, Is.EqualTo(1));
            Assert.That(wrong.ExitCode, Is.EqualTo(2));
            Assert.That(wrong.Error, Does.Contain("usage"));
            Assert.That(moved.ExitCode, Is.Zero);
            Assert.That(moved.Output, Does.Contain($"moved 1 message(s) from {host.ErrorQueue} to {host.WorkQueue}"));
        });
        await TestContext.Out.WriteLineAsync(queues.Output + messages.Output + moved.Output);
    }

    private async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await ErrorQueueCommand.RunAsync(host.Services, args, output, error);
        return (exitCode, output.ToString(), error.ToString());
    }

    private async Task<ErrorQueueListDto> ListQueuesAsync() =>
        (await admin.GetFromJsonAsync<ErrorQueueListDto>(new Uri("admin/error-queues", UriKind.Relative)))!;

    private async Task<List<string?>> ListMessageIdsAsync()
    {
        var page = await admin.GetFromJsonAsync<ErrorQueueMessagesDto>(new Uri($"admin/error-queues/{host.ErrorQueue}/messages", UriKind.Relative));
        return [.. page!.Items.Select(m => m.MessageId)];
    }

    private async Task<uint> DepthAsync(string queue)
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
            return 0; // not declared yet: nothing failed so far
        }
    }

    /// <summary>The queue's message ids front to back, read on a connection of the test's own and handed back unacknowledged.</summary>
    private async Task<List<string?>> PeekWithOwnChannelAsync(string queue)
    {
        var factory = new ConnectionFactory { Uri = servers.RabbitMq.AmqpUri };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var ids = new List<string?>();
        while (await channel.BasicGetAsync(queue, autoAck: false) is { } got)
        {
            ids.Add(got.BasicProperties.MessageId);
        }

        return ids;
    }
}
