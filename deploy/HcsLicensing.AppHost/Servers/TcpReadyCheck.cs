using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HcsLicensing.AppHost.Servers;

/// <summary>
/// Ready when 127.0.0.1:port accepts a connection (and, if given, the script has written its ready file).
/// RabbitMQ opens its AMQP listener only at the end of its boot; PostgreSQL's script writes the file once the
/// databases exist. Nothing is sent, so the servers' logs stay free of probe noise.
/// </summary>
internal sealed class TcpReadyCheck(int port, string? readyFile) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (readyFile is not null && !File.Exists(readyFile))
        {
            return HealthCheckResult.Unhealthy("starting");
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
            return HealthCheckResult.Healthy();
        }
        catch (SocketException e)
        {
            return HealthCheckResult.Unhealthy($"127.0.0.1:{port} does not accept connections yet ({e.SocketErrorCode})");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"127.0.0.1:{port} did not answer within 2 s");
        }
    }
}
