using System.Net;
using System.Net.Sockets;

namespace HcsLicensing.TestBed;

/// <summary>
/// A TCP forwarder between a service and a server that a test can close, as a network outage or a server restart
/// would: <see cref="Close"/> drops every connection through it and refuses new ones, <see cref="Open"/> lets them
/// through again. Point the service at <see cref="Port"/> instead of the server's port.
/// </summary>
public sealed class TcpGate : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly int targetPort;
    private readonly CancellationTokenSource stopping = new();
    private readonly List<TcpClient> connections = [];
    private volatile bool open = true;

    public TcpGate(int targetPort)
    {
        this.targetPort = targetPort;
        listener.Start();
        _ = AcceptAsync();
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    /// <summary>Drops every connection and refuses new ones until <see cref="Open"/>.</summary>
    public void Close()
    {
        open = false;
        lock (connections)
        {
            connections.ForEach(c => c.Dispose());
            connections.Clear();
        }
    }

    public void Open() => open = true;

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        listener.Stop();
        Close();
        stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stopping.Token);
            }
            catch (Exception) when (stopping.IsCancellationRequested)
            {
                return;
            }

            if (!open)
            {
                // Refused as a stopped server refuses: the connection closes at once.
                client.Client.LingerState = new LingerOption(true, 0);
                client.Dispose();
                continue;
            }

            _ = ForwardAsync(client);
        }
    }

    private async Task ForwardAsync(TcpClient client)
    {
        var server = new TcpClient();
        try
        {
            await server.ConnectAsync(IPAddress.Loopback, targetPort, stopping.Token);
            lock (connections)
            {
                connections.Add(client);
                connections.Add(server);
            }

            var a = client.GetStream().CopyToAsync(server.GetStream(), stopping.Token);
            var b = server.GetStream().CopyToAsync(client.GetStream(), stopping.Token);
            await Task.WhenAny(a, b);
        }
        catch (Exception)
        {
            // A closed gate or a server that went away: the connection just ends, as on a real network.
        }
        finally
        {
            client.Dispose();
            server.Dispose();
        }
    }
}
