using HcsLicensing.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace HcsLicensing.ServiceDefaults.ErrorQueues;

/// <summary>
/// Reads and empties this service's error queues over AMQP (RabbitMQ.Client, on a connection of its own to
/// ConnectionStrings:RabbitMq, over TLS as the bus when it is amqps://; the management plugin is not needed):
/// <list type="bullet">
/// <item>depth: a passive queue declare, which changes nothing;</item>
/// <item>listing: basic.get without acknowledging, then the channel is closed, so RabbitMQ puts every message back at
/// its place; nothing is consumed or reordered (the messages are only marked redelivered);</item>
/// <item>moving: each message is published to its receive queue with a publisher confirm (mandatory, so a queue that
/// is not there refuses it) and only then acknowledged in the error queue. A crash in between leaves it in both
/// places with the same message id, which the receiving service's inbox runs once; it is never lost.</item>
/// </list>
/// </summary>
public sealed class ErrorQueueBroker(Uri broker, IReadOnlyList<System.Net.DnsEndPoint> nodes, BrokerTls? tls, string clientName, ReceiveQueues receiveQueues, string? prefix, IServiceProvider services) : IAsyncDisposable
{
    /// <summary>At most this many messages are moved by id in one request.</summary>
    public const int MaxMessageIds = 1000;

    private const ushort NotFound = 404;
    private readonly SemaphoreSlim _connecting = new(1, 1);
    private IConnection? _connection;
    private bool _busCreated;

    /// <summary>The service's error queues: one per receive endpoint of its bus.</summary>
    public IReadOnlyList<ErrorQueue> Queues
    {
        get
        {
            if (!_busCreated)
            {
                // The bus records its receive endpoints as it is created (not started): in a running service that has
                // happened already; from the command line this is what does it.
                _ = services.GetRequiredService<IBus>();
                _busCreated = true;
            }

            return receiveQueues.ErrorQueues;
        }
    }

    /// <summary>
    /// The error queue an operator names: its full name (<c>staging-chpa_error</c>), its receive queue's
    /// (<c>staging-chpa</c>), or either without the deployment's endpoint prefix (<c>chpa_error</c>, <c>chpa</c>).
    /// </summary>
    public ErrorQueue? Find(string name) =>
        Queues.FirstOrDefault(q => q.Name == name || q.ReceiveQueue == name || (prefix is { Length: > 0 } && (q.Name == prefix + name || q.ReceiveQueue == prefix + name)));

    /// <summary>Every error queue with the messages ready in it (0 for one never created: nothing ever failed there).</summary>
    public async Task<IReadOnlyList<ErrorQueueDepth>> DepthsAsync(CancellationToken cancellationToken = default)
    {
        var connection = await ConnectionAsync(cancellationToken);
        var depths = new List<ErrorQueueDepth>();
        IChannel? channel = null;
        try
        {
            foreach (var queue in Queues)
            {
                channel ??= await connection.CreateChannelAsync(cancellationToken: cancellationToken);
                var (depth, closed) = await DepthAsync(channel, queue, cancellationToken);
                depths.Add(new ErrorQueueDepth(queue, depth));
                if (closed)
                {
                    await channel.DisposeAsync();
                    channel = null;
                }
            }
        }
        finally
        {
            if (channel is not null)
            {
                await channel.DisposeAsync();
            }
        }

        return depths;
    }

    /// <summary>The first <paramref name="limit"/> messages of the queue, left where they are.</summary>
    public async Task<ErrorQueueMessages> PeekAsync(ErrorQueue queue, int limit, CancellationToken cancellationToken = default)
    {
        var connection = await ConnectionAsync(cancellationToken);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        var (depth, closed) = await DepthAsync(channel, queue, cancellationToken);
        var messages = new List<FaultedMessage>();
        while (!closed && messages.Count < limit && messages.Count < depth)
        {
            var got = await channel.BasicGetAsync(queue.Name, autoAck: false, cancellationToken);
            if (got is null)
            {
                break;
            }

            messages.Add(FaultedMessage.From(queue, got.BasicProperties, got.Body, got.Redelivered));
        }

        // Nothing was acknowledged: closing the channel hands every message back to the queue, each at its place.
        return new ErrorQueueMessages(queue, depth, messages);
    }

    /// <summary>
    /// Moves the messages with the given ids (every copy of each), or all when <paramref name="messageIds"/> is null, back
    /// to the receive queue. With ids, nothing moves unless every id is found in the queue.
    /// </summary>
    public async Task<MoveResult> MoveAsync(ErrorQueue queue, IReadOnlyCollection<string>? messageIds, CancellationToken cancellationToken = default)
    {
        var connection = await ConnectionAsync(cancellationToken);
        await using var source = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        await using var target = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken);
        var (depth, _) = await DepthAsync(source, queue, cancellationToken);
        var wanted = messageIds?.ToHashSet(StringComparer.Ordinal);
        var chosen = new List<Held>();
        var moved = new List<string?>();
        // Only the messages there when the move began: one that fails again meanwhile waits for the next move.
        for (uint taken = 0; taken < depth; taken++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var got = await source.BasicGetAsync(queue.Name, autoAck: false, cancellationToken);
            if (got is null)
            {
                break;
            }

            var held = new Held(got.DeliveryTag, new BasicProperties(got.BasicProperties), got.Body.ToArray());
            if (wanted is null)
            {
                if (await MoveOneAsync(source, target, queue, held) is { } refused)
                {
                    return new MoveResult(queue, moved, [], refused);
                }

                moved.Add(held.Properties.MessageId);
            }
            else if (held.Properties.MessageId is { } id && wanted.Contains(id))
            {
                chosen.Add(held);
            }
        }

        if (wanted is not null)
        {
            var unknown = wanted.Except(chosen.Select(h => h.Properties.MessageId!), StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            if (unknown.Count > 0)
            {
                // Closing the channel puts back everything taken, in order: nothing moved.
                return new MoveResult(queue, [], unknown, null);
            }

            foreach (var held in chosen)
            {
                if (await MoveOneAsync(source, target, queue, held) is { } refused)
                {
                    return new MoveResult(queue, moved, [], refused);
                }

                moved.Add(held.Properties.MessageId);
            }
        }

        return new MoveResult(queue, moved, [], null);
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
            _connection = null;
        }
    }

    /// <summary>Publish with a confirm, then acknowledge; the pair is not cancelled halfway. Null, or why the broker refused.</summary>
    private static async Task<string?> MoveOneAsync(IChannel source, IChannel target, ErrorQueue queue, Held held)
    {
        if (held.Properties.Headers is { } headers)
        {
            // Back as it was sent: a fault recorded now would be stale, and MassTransit writes new ones if it fails again.
            held.Properties.Headers = headers.Where(h => !FaultedMessage.IsFaultHeader(h.Key)).ToDictionary(h => h.Key, h => h.Value);
        }

        try
        {
            await target.BasicPublishAsync(exchange: "", routingKey: queue.ReceiveQueue, mandatory: true, basicProperties: held.Properties, body: held.Body);
        }
        catch (RabbitMQ.Client.Exceptions.PublishException refused)
        {
            return refused is PublishReturnException returned
                ? $"the broker returned a message to be moved to {queue.ReceiveQueue}: {returned.ReplyText}"
                : $"the broker did not confirm a message to be moved to {queue.ReceiveQueue}";
        }

        await source.BasicAckAsync(held.DeliveryTag, multiple: false);
        return null;
    }

    /// <summary>The queue's ready messages, or 0 if it does not exist (then the channel is closed: Closed).</summary>
    private static async Task<(uint Depth, bool Closed)> DepthAsync(IChannel channel, ErrorQueue queue, CancellationToken cancellationToken)
    {
        try
        {
            return ((await channel.QueueDeclarePassiveAsync(queue.Name, cancellationToken)).MessageCount, false);
        }
        catch (OperationInterruptedException missing) when (missing.ShutdownReason?.ReplyCode == NotFound)
        {
            // MassTransit declares an error queue when it first moves a message there.
            return (0, true);
        }
    }

    private async Task<IConnection> ConnectionAsync(CancellationToken cancellationToken)
    {
        if (_connection is { IsOpen: true } open)
        {
            return open;
        }

        await _connecting.WaitAsync(cancellationToken);
        try
        {
            if (_connection is { IsOpen: true } opened)
            {
                return opened;
            }

            if (_connection is not null)
            {
                await _connection.DisposeAsync();
                _connection = null;
            }

            var factory = new ConnectionFactory
            {
                Uri = AmqpUri(broker),
                // A connection that broke is replaced on the next call; nothing here needs to survive it.
                AutomaticRecoveryEnabled = false,
                RequestedConnectionTimeout = TimeSpan.FromSeconds(5),
            };
            if (tls is not null)
            {
                // The URI's amqps turned TLS on with RabbitMQ.Client's defaults; the bus's checks replace them.
                factory.Ssl = tls.ClientOption();
            }

            // The URI gives the credentials and virtual host; any node of a cluster serves the error queues.
            var endpoints = nodes.Select(node => new AmqpTcpEndpoint(node.Host, node.Port, factory.Ssl)).ToList();
            _connection = await factory.CreateConnectionAsync(endpoints, clientName, cancellationToken);
            return _connection;
        }
        finally
        {
            _connecting.Release();
        }
    }

    /// <summary>MassTransit also accepts rabbitmq:// and rabbitmqs://; RabbitMQ.Client only the AMQP schemes.</summary>
    private static Uri AmqpUri(Uri uri) => uri.Scheme switch
    {
        "rabbitmq" => new UriBuilder(uri) { Scheme = "amqp" }.Uri,
        "rabbitmqs" => new UriBuilder(uri) { Scheme = "amqps" }.Uri,
        _ => uri,
    };

    private sealed record Held(ulong DeliveryTag, BasicProperties Properties, byte[] Body);
}

/// <summary>An error queue and the messages ready in it.</summary>
public sealed record ErrorQueueDepth(ErrorQueue Queue, uint Depth);

/// <summary>The first messages of an error queue, and how many it holds.</summary>
public sealed record ErrorQueueMessages(ErrorQueue Queue, uint Depth, IReadOnlyList<FaultedMessage> Messages);

/// <summary>
/// What a move did: the ids of the messages moved (null for one without an id); or, by id, the ids not in the queue
/// (then nothing moved); or why the broker refused one (those before it moved, it and the rest stayed).
/// </summary>
public sealed record MoveResult(ErrorQueue Queue, IReadOnlyList<string?> Moved, IReadOnlyList<string> UnknownMessageIds, string? Refused);
