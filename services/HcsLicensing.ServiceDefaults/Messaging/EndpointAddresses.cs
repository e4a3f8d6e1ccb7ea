using Microsoft.Extensions.Configuration;

namespace HcsLicensing.ServiceDefaults.Messaging;

/// <summary>
/// Addresses of explicitly named queues (another service's, e.g. "chpa", or a service's own extra queues) with the
/// deployment's <see cref="BusOptions.EndpointPrefix"/> in front, as the endpoint name formatter gives the rest.
/// Registered by AddServiceBus, so nobody re-reads the prefix from configuration.
/// </summary>
/// <remarks>
/// A send to queue:name makes MassTransit declare the queue with no arguments first, which RabbitMQ refuses for a quorum
/// queue ("inequivalent arg 'x-queue-type'"). With Messaging:QueueType=quorum the address is therefore exchange:name,
/// the exchange the receiving service binds its queue to, and sends are mandatory (see BusExtensions): a message for a
/// queue that is not there yet fails its send, which the outbox retries, instead of vanishing.
/// </remarks>
public sealed class EndpointAddresses(string? prefix, bool quorum = false)
{
    /// <summary>For naming a service's own queues while its bus is being registered.</summary>
    public static EndpointAddresses From(IConfiguration configuration)
    {
        var options = configuration.GetSection(BusOptions.Section).Get<BusOptions>() ?? new BusOptions();
        return new(options.EndpointPrefix, QueueTypes.IsQuorum(options));
    }

    /// <summary>The queue's full name, e.g. "staging-chpa".</summary>
    public string Name(string queue) => $"{prefix}{queue}";

    /// <summary>The queue's short address, e.g. queue:staging-chpa (exchange:staging-chpa for quorum queues).</summary>
    public Uri Queue(string queue) => OfName(Name(queue));

    /// <summary>The short address of a queue given by its full name (the prefix already in it, e.g. from an endpoint name formatter).</summary>
    public Uri OfName(string fullName) => new(quorum ? $"exchange:{fullName}" : $"queue:{fullName}");
}
