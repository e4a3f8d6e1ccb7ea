using MassTransit;

namespace HcsLicensing.ServiceDefaults.Messaging;

/// <summary>
/// Messaging:QueueType. With "quorum" every durable receive queue is a quorum queue with a delivery limit whose
/// overflow is dead-lettered, at least once, into the endpoint's own _error queue (declared with the endpoint, so it is
/// there before the first fault). The _error and _skipped queues are quorum queues without a limit: listing an error
/// queue hands its messages out and returns them, which a limit would count until it dropped them.
/// </summary>
public static class QueueTypes
{
    public const string Classic = "classic";
    public const string Quorum = "quorum";

    /// <summary>Settings that MassTransit copies from a receive queue to its _error and _skipped queues but that are only for the receive queue.</summary>
    private static readonly string[] ReceiveQueueOnly = ["x-delivery-limit", "x-dead-letter-exchange", "x-dead-letter-strategy", "x-overflow"];

    /// <summary>True for "quorum", false for "classic" (any case); anything else stops the service at start with the reason.</summary>
    public static bool IsQuorum(BusOptions options) => options.QueueType.Trim().ToLowerInvariant() switch
    {
        Classic => false,
        Quorum => true,
        _ => throw new InvalidOperationException($"Messaging:QueueType must be \"{Classic}\" or \"{Quorum}\", not \"{options.QueueType}\"."),
    };

    /// <summary>Makes <paramref name="queue"/>'s receive endpoint a quorum queue with its delivery limit (see the class).</summary>
    public static void UseQuorumQueue(this IRabbitMqReceiveEndpointConfigurator endpoint, string queue, BusOptions options)
    {
        if (options.DeliveryLimit < 1)
        {
            throw new InvalidOperationException($"Messaging:DeliveryLimit must be 1 or more, not {options.DeliveryLimit}.");
        }

        var errorQueue = $"{queue}_error";
        endpoint.SetQuorumQueue();
        endpoint.SetQueueArgument("x-delivery-limit", options.DeliveryLimit);
        endpoint.SetQueueArgument("x-dead-letter-strategy", "at-least-once");
        endpoint.SetQueueArgument("x-overflow", "reject-publish"); // at-least-once dead-lettering needs it; no length limit is set
        endpoint.BindDeadLetterQueue(errorQueue, errorQueue, dead => dead.SetQuorumQueue());
    }

    /// <summary>The _error and _skipped queues of quorum receive queues: quorum queues, without the receive queue's limit.</summary>
    public static void UseQuorumSetAsideQueues(this IRabbitMqSendTopologyConfigurator topology)
    {
        topology.ConfigureErrorSettings = WithoutReceiveQueueSettings;
        topology.ConfigureDeadLetterSettings = WithoutReceiveQueueSettings;
    }

    /// <summary>
    /// Sends to quorum queues go to the exchange bound to them (<see cref="EndpointAddresses"/>): mandatory, so that one the
    /// broker cannot route (the queue not declared yet) fails and is sent again rather than dropped. Not for replies to a
    /// requester's temporary queue, which may be gone by design.
    /// </summary>
    public static void SendMandatory(SendContext context)
    {
        if (context.TryGetPayload(out RabbitMqSendContext? rabbit)
            && context.DestinationAddress?.Query.Contains("temporary=true", StringComparison.OrdinalIgnoreCase) != true)
        {
            rabbit.Mandatory = true;
        }
    }

    private static void WithoutReceiveQueueSettings(IRabbitMqQueueConfigurator queue)
    {
        foreach (var argument in ReceiveQueueOnly)
        {
            queue.SetQueueArgument(argument, null);
        }
    }
}
