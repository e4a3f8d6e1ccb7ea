using Microsoft.Extensions.Configuration;

namespace HcsLicensing.ServiceDefaults.Messaging;

/// <summary>
/// Addresses of explicitly named queues (another service's, e.g. "chpa", or a service's own extra queues) with the
/// deployment's <see cref="BusOptions.EndpointPrefix"/> in front, as the endpoint name formatter gives the rest.
/// Registered by AddServiceBus, so nobody re-reads the prefix from configuration.
/// </summary>
public sealed class EndpointAddresses(string? prefix)
{
    /// <summary>For naming a service's own queues while its bus is being registered.</summary>
    public static EndpointAddresses From(IConfiguration configuration) =>
        new(configuration.GetSection(BusOptions.Section).Get<BusOptions>()?.EndpointPrefix);

    /// <summary>The queue's full name, e.g. "staging-chpa".</summary>
    public string Name(string queue) => $"{prefix}{queue}";

    /// <summary>The queue's short address, e.g. queue:staging-chpa.</summary>
    public Uri Queue(string queue) => new($"queue:{Name(queue)}");
}
