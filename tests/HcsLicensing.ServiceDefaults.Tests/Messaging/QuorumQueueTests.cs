using System.Net;
using HcsLicensing.ServiceDefaults.Tests.ErrorQueues;
using HcsLicensing.ServiceDefaults.Messaging;
using HcsLicensing.TestBed;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;

namespace HcsLicensing.ServiceDefaults.Tests.Messaging;

/// <summary>
/// Messaging:QueueType=quorum on a real three-node RabbitMQ cluster (local rabbitmq-server nodes): the service's queues
/// are quorum queues; a message that keeps coming back to its queue (its consumers die holding it) is set aside in the
/// _error queue at the delivery limit, never dropped; the _error queue itself has no limit; a send that no queue takes
/// fails (the outbox sends it again) rather than vanishing; and a service keeps
/// consuming, and stays ready, when the node it was connected to stops.
/// </summary>
[NonParallelizable]
public class QuorumQueueTests
{
    private const int DeliveryLimit = 3;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private LocalRabbitMqCluster cluster = null!;

    [OneTimeSetUp]
    public async Task StartCluster() => cluster = await LocalRabbitMqCluster.StartAsync(3);

    [OneTimeTearDown]
    public async Task StopCluster() => await cluster.DisposeAsync();

    [Test]
    public async Task Receive_and_set_aside_queues_are_quorum_queues_and_a_message_returned_past_the_limit_lands_in_the_error_queue()
    {
        await using var host = await StartHostAsync();
        var (workQueue, errorQueue, schedulerQueue) = (host.WorkQueue, host.ErrorQueue, $"{host.Prefix}-scheduler");
        await host.SendWorkAsync("fails once, so that MassTransit declares the error queue as it would"); // gate closed
        await using var connection = await ConnectAsync(cluster.Nodes[1]);
        await Eventually.Poll(() => DepthAsync(connection, errorQueue), depth => depth == 1, Wait);
        await host.DisposeAsync(); // nothing consumes from here on

        var queues = await cluster.Nodes[2].ListQueuesAsync();

        // A consumer that dies holding the message returns it, as a basic.nack with requeue does: each return counts.
        await using var channel = await connection.CreateChannelAsync();
        await channel.BasicPublishAsync("", workQueue, mandatory: true, new BasicProperties { MessageId = "poison-1", Persistent = true }, "{}"u8.ToArray());
        // Returns are applied through the queue's Raft log, so the message may be briefly out of sight between two gets.
        var handedOut = 0;
        var deadline = DateTime.UtcNow + Wait;
        while (await DepthAsync(connection, errorQueue) < 2 && DateTime.UtcNow < deadline)
        {
            if (await channel.BasicGetAsync(workQueue, autoAck: false) is { } delivery)
            {
                handedOut++;
                await channel.BasicNackAsync(delivery.DeliveryTag, multiple: false, requeue: true);
            }
            else
            {
                await Task.Delay(50);
            }
        }

        var setAside = await DepthAsync(connection, errorQueue);

        // The error queue has no limit: an operator listing it more often than that keeps its messages.
        for (var listing = 0; listing < DeliveryLimit + 3; listing++)
        {
            var deliveries = new List<ulong>();
            while (deliveries.Count < 2 && await channel.BasicGetAsync(errorQueue, autoAck: false) is { } delivery)
            {
                deliveries.Add(delivery.DeliveryTag);
            }

            foreach (var tag in deliveries)
            {
                await channel.BasicNackAsync(tag, multiple: false, requeue: true);
            }
        }

        // A return is applied through the queue's Raft log: the depth may lag the nacks for a moment.
        var kept = await Eventually.Poll(() => DepthAsync(connection, errorQueue), depth => depth == 2, TimeSpan.FromSeconds(10));
        Assert.Multiple(() =>
        {
            foreach (var queue in new[] { workQueue, errorQueue, schedulerQueue, $"{schedulerQueue}_error" })
            {
                Assert.That(queues[queue].Type, Is.EqualTo("quorum"), queue);
            }

            Assert.That(queues[workQueue].Arguments, Does.Contain($"{{\"x-delivery-limit\",{DeliveryLimit}}}").And.Contain($"{{\"x-dead-letter-exchange\",\"{errorQueue}\"}}"));
            Assert.That(queues[errorQueue].Arguments, Does.Not.Contain("x-delivery-limit").And.Not.Contain("x-dead-letter-exchange"));
            Assert.That(handedOut, Is.EqualTo(DeliveryLimit + 1), "handed out once, then returned up to the limit");
            Assert.That(setAside, Is.EqualTo(2), "the poison message joined the faulted one in the error queue");
            Assert.That(kept, Is.EqualTo(2), "listing the error queue repeatedly loses nothing");
        });
    }

    [Test]
    public async Task A_send_to_a_queue_nobody_has_declared_yet_fails_instead_of_vanishing()
    {
        await using var host = await StartHostAsync();
        var addresses = host.Services.GetRequiredService<EndpointAddresses>();
        var endpoint = await host.Services.GetRequiredService<IBus>().GetSendEndpoint(addresses.OfName($"{host.Prefix}-not-started-yet"));

        Assert.That(async () => await endpoint.Send(new DoWork(Guid.NewGuid(), "lost?", "-")), Throws.InstanceOf<Exception>().With.Message.Contains("returned"));
    }

    [Test]
    public async Task A_service_keeps_consuming_and_stays_ready_when_the_node_it_was_connected_to_stops()
    {
        await using var host = await StartHostAsync();
        host.Gate.Open = true;
        await host.SendWorkAsync("before");
        await Eventually.Poll(() => Task.FromResult(host.Done.Received.Count), count => count == 1, Wait);

        await cluster.Nodes[0].StopAsync(); // the connection string's node
        try
        {
            await host.SendWorkAsync("while node 0 is down");
            await Eventually.Poll(() => Task.FromResult(host.Done.Received.Count), count => count == 2, Wait);
            using var client = host.Client();
            using var ready = await client.GetAsync(new Uri("health/ready", UriKind.Relative));
            Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.OK), await ready.Content.ReadAsStringAsync());
        }
        finally
        {
            await cluster.Nodes[0].StartAgainAsync();
        }
    }

    private async Task<ErrorQueueHost> StartHostAsync()
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:RabbitMq"] = cluster.Endpoint.AmqpUri.ToString(),
            ["Messaging:QueueType"] = "quorum",
            ["Messaging:DeliveryLimit"] = DeliveryLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        for (var i = 0; i < cluster.NodeAddresses.Count; i++)
        {
            settings[$"Messaging:ClusterNodes:{i}"] = cluster.NodeAddresses[i];
        }

        return await ErrorQueueHost.StartAsync(await SharedTestServers.GetAsync(), settings);
    }

    private static async Task<IConnection> ConnectAsync(LocalRabbitMq node) =>
        await new ConnectionFactory { Uri = node.Endpoint.AmqpUri }.CreateConnectionAsync();

    private static async Task<uint> DepthAsync(IConnection connection, string queue)
    {
        await using var channel = await connection.CreateChannelAsync();
        return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
    }
}
