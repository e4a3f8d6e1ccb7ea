using HcsLicensing.ServiceDefaults.Messaging;
using Microsoft.Extensions.DependencyInjection;

namespace HcsLicensing.ServiceDefaults.ErrorQueues;

/// <summary>Error queue operations for a service with a bus: AddServiceBus registers them, MapServiceDefaults maps the API.</summary>
internal static class ErrorQueueExtensions
{
    public static IServiceCollection AddErrorQueues(this IServiceCollection services, Uri broker, IReadOnlyList<System.Net.DnsEndPoint> nodes, BrokerTls? tls, string? endpointPrefix, ReceiveQueues receiveQueues, string applicationName)
    {
        services.AddSingleton(receiveQueues);
        services.AddSingleton(provider => new ErrorQueueBroker(broker, nodes, tls, $"{applicationName} error queues", receiveQueues, endpointPrefix, provider));
        services.AddHostedService<ErrorQueueDepthGauge>();
        return services;
    }
}
