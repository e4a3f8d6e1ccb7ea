using System.Net.Sockets;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HcsLicensing.ServiceDefaults.Health;

/// <summary>
/// Readiness of the broker itself: can this replica open a TCP connection to RabbitMQ's AMQP port? MassTransit's bus
/// check alone kept reporting Healthy a minute after the broker process was gone (its endpoints wait to reconnect
/// rather than fault), so a replica cut off from the broker stayed in the load balancer. A refused or timed-out
/// connection is Unhealthy; nothing is sent.
/// </summary>
internal sealed class BrokerReachability(Uri broker) : IHealthCheck
{
    public const string Name = "rabbitmq";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var port = broker.IsDefaultPort || broker.Port <= 0 ? (broker.Scheme == "amqps" ? 5671 : 5672) : broker.Port;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(broker.Host, port, timeout.Token);
            return HealthCheckResult.Healthy($"{broker.Host}:{port} accepts connections");
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"{broker.Host}:{port} does not accept connections", exception);
        }
    }
}
