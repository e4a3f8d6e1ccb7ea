using System.Collections.Concurrent;
using System.Text.Json;
using HcsLicensing.TestBed.Suite;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace HcsLicensing.ClusterAssign.Tests.ScaleOut.Loops;

/// <summary>
/// A queue of the test's own on the suite's broker that keeps every delivery with the time it came: the witness that
/// counts duplicates, which a service's inbox would hide. Read with plain RabbitMQ.Client (each message's MassTransit
/// envelope as JSON), so nothing in between drops or merges a message.
/// </summary>
public sealed class ProbeQueue : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly IChannel _channel;
    private readonly ConcurrentQueue<ProbeDelivery> _received = new();

    private ProbeQueue(IConnection connection, IChannel channel, string name)
    {
        _connection = connection;
        _channel = channel;
        Name = name;
    }

    /// <summary>The queue's name, with the suite's prefix.</summary>
    public string Name { get; }

    /// <summary>Where a service sends to reach it, e.g. as a response address.</summary>
    public Uri Address => new($"queue:{Name}");

    public IReadOnlyList<ProbeDelivery> Received => [.. _received];

    /// <summary>
    /// Declares the queue (durable, as MassTransit declares a queue it sends to) and binds it to
    /// <paramref name="exchanges"/> (published message types, e.g. "HcsLicensing.Contracts.Jobs:JobFailed").
    /// </summary>
    public static async Task<ProbeQueue> StartAsync(HcsSuite suite, string name, params string[] exchanges)
    {
        var queue = $"{suite.EndpointPrefix}{name}-{Guid.NewGuid().ToString("N")[..6]}";
        var connection = await new ConnectionFactory { Uri = suite.RabbitMq.AmqpUri }.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync();
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
        foreach (var exchange in exchanges)
        {
            await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true);
            await channel.QueueBindAsync(queue, exchange, "");
        }

        var probe = new ProbeQueue(connection, channel, queue);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            probe._received.Enqueue(new ProbeDelivery(DateTimeOffset.UtcNow, JsonDocument.Parse(delivery.Body).RootElement.Clone()));
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue, autoAck: true, consumer);
        return probe;
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.QueueDeleteAsync(Name);
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }
}

/// <summary>One delivery: when it came, and its MassTransit envelope (messageId, requestId, message, ...).</summary>
public sealed record ProbeDelivery(DateTimeOffset At, JsonElement Envelope)
{
    public JsonElement Message => Envelope.GetProperty("message");

    public string? MessageId => Envelope.TryGetProperty("messageId", out var id) ? id.GetString() : null;

    public Guid? RequestId => Envelope.TryGetProperty("requestId", out var id) && id.ValueKind == JsonValueKind.String ? id.GetGuid() : null;
}
