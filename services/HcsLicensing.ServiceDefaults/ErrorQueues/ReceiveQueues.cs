using System.Collections.Concurrent;

namespace HcsLicensing.ServiceDefaults.ErrorQueues;

/// <summary>
/// The receive endpoints of this service's bus, by the names MassTransit gave their queues (prefix and explicit names
/// included), recorded as the bus configures them. Each has its <c>&lt;queue&gt;_error</c> queue, where MassTransit
/// moves a message that failed for good; those are the error queues this service answers for, and no other's.
/// </summary>
public sealed class ReceiveQueues
{
    /// <summary>What MassTransit appends to a receive queue's name for its error queue.</summary>
    public const string ErrorSuffix = "_error";

    private readonly ConcurrentDictionary<string, byte> _names = new(StringComparer.Ordinal);

    /// <summary>Called for every receive endpoint while the bus is being configured.</summary>
    internal void Add(string queue) => _names.TryAdd(queue, 0);

    /// <summary>The error queues, in name order (empty until the bus has been created).</summary>
    public IReadOnlyList<ErrorQueue> ErrorQueues =>
        [.. _names.Keys.Order(StringComparer.Ordinal).Select(queue => new ErrorQueue(queue + ErrorSuffix, queue))];
}

/// <summary>An error queue and the receive queue its messages came from (and go back to when moved).</summary>
public sealed record ErrorQueue(string Name, string ReceiveQueue);
