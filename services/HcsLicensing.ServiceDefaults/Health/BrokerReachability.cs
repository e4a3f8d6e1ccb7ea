using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using HcsLicensing.ServiceDefaults.Messaging;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HcsLicensing.ServiceDefaults.Health;

/// <summary>
/// Readiness of the broker itself: can this replica open a TCP connection to RabbitMQ's AMQP port (one node's, of a cluster)? MassTransit's bus
/// check alone kept reporting Healthy a minute after the broker process was gone (its endpoints wait to reconnect
/// rather than fault), so a replica cut off from the broker stayed in the load balancer. A refused or timed-out
/// connection is Unhealthy; nothing is sent. Over amqps:// the check also completes the TLS handshake with the bus's
/// certificate checks, so a broker this replica does not trust (a wrong certificate, another CA) is Unhealthy too,
/// with that reason, rather than reachable.
/// </summary>
internal sealed class BrokerReachability(IReadOnlyList<DnsEndPoint> nodes, BrokerTls? tls) : IHealthCheck
{
    public const string Name = "rabbitmq";

    /// <summary>Healthy when one of the broker's nodes accepts (the bus reconnects to any of them); else why each did not.</summary>
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var failures = new List<HealthCheckResult>();
        foreach (var node in nodes)
        {
            var result = await CheckNodeAsync(node, cancellationToken);
            if (result.Status == HealthStatus.Healthy)
            {
                return result;
            }

            failures.Add(result);
        }

        return failures.Count == 1
            ? failures[0]
            : HealthCheckResult.Unhealthy(string.Join("; ", failures.Select(f => f.Description)), failures[^1].Exception);
    }

    private async Task<HealthCheckResult> CheckNodeAsync(DnsEndPoint node, CancellationToken cancellationToken)
    {
        var (host, port) = (node.Host, node.Port);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(host, port, timeout.Token);
            if (tls is null)
            {
                return HealthCheckResult.Healthy($"{host}:{port} accepts connections");
            }

            await using var stream = new SslStream(client.GetStream(), leaveInnerStreamOpen: false);
            await stream.AuthenticateAsClientAsync(tls.AuthenticationOptions(), timeout.Token);
            return HealthCheckResult.Healthy($"{host}:{port} accepts TLS connections with a certificate trusted for {tls.ServerName}");
        }
        catch (AuthenticationException exception)
        {
            return HealthCheckResult.Unhealthy($"{host}:{port} accepts connections, but the TLS handshake failed (a certificate not trusted for {tls?.ServerName}?)", exception);
        }
        catch (Exception exception) when (exception is SocketException or IOException or OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"{host}:{port} does not accept connections", exception);
        }
    }
}
