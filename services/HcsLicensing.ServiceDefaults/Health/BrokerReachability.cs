using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using HcsLicensing.ServiceDefaults.Messaging;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HcsLicensing.ServiceDefaults.Health;

/// <summary>
/// Readiness of the broker itself: can this replica open a TCP connection to RabbitMQ's AMQP port? MassTransit's bus
/// check alone kept reporting Healthy a minute after the broker process was gone (its endpoints wait to reconnect
/// rather than fault), so a replica cut off from the broker stayed in the load balancer. A refused or timed-out
/// connection is Unhealthy; nothing is sent. Over amqps:// the check also completes the TLS handshake with the bus's
/// certificate checks, so a broker this replica does not trust (a wrong certificate, another CA) is Unhealthy too,
/// with that reason, rather than reachable.
/// </summary>
internal sealed class BrokerReachability(Uri broker, BrokerTls? tls) : IHealthCheck
{
    public const string Name = "rabbitmq";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var port = BrokerTls.PortOf(broker);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(broker.Host, port, timeout.Token);
            if (tls is null)
            {
                return HealthCheckResult.Healthy($"{broker.Host}:{port} accepts connections");
            }

            await using var stream = new SslStream(client.GetStream(), leaveInnerStreamOpen: false);
            await stream.AuthenticateAsClientAsync(tls.AuthenticationOptions(), timeout.Token);
            return HealthCheckResult.Healthy($"{broker.Host}:{port} accepts TLS connections with a certificate trusted for {tls.ServerName}");
        }
        catch (AuthenticationException exception)
        {
            return HealthCheckResult.Unhealthy($"{broker.Host}:{port} accepts connections, but the TLS handshake failed (a certificate not trusted for {tls?.ServerName}?)", exception);
        }
        catch (Exception exception) when (exception is SocketException or IOException or OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"{broker.Host}:{port} does not accept connections", exception);
        }
    }
}
