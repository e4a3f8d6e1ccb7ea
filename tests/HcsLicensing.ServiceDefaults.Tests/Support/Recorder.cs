using System.Collections.Concurrent;
using MassTransit;

namespace HcsLicensing.ServiceDefaults.Tests.Support;

/// <summary>What a consumer received, with when and under which message id.</summary>
public sealed class Recorder<T>
    where T : class
{
    private readonly ConcurrentQueue<(T Message, Guid? MessageId, DateTime ReceivedAt)> _received = new();

    public IReadOnlyList<(T Message, Guid? MessageId, DateTime ReceivedAt)> Received => [.. _received];

    public void Add(ConsumeContext<T> context) => _received.Enqueue((context.Message, context.MessageId, DateTime.UtcNow));
}

/// <summary>Records every <typeparamref name="T"/> it consumes into the singleton <see cref="Recorder{T}"/>.</summary>
public sealed class RecordingConsumer<T>(Recorder<T> recorder) : IConsumer<T>
    where T : class
{
    public Task Consume(ConsumeContext<T> context)
    {
        recorder.Add(context);
        return Task.CompletedTask;
    }
}
