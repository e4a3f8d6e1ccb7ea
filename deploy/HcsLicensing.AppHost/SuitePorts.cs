using System.Net;
using System.Net.Sockets;

namespace HcsLicensing.AppHost;

/// <summary>
/// The port of each resource: the one configured under "Ports" (fixed, so that URLs stay the same from run to run and
/// match deploy/docker-compose.yml), or a free one when it is taken (another run, a system server) or not configured.
/// </summary>
public sealed class SuitePorts(IConfiguration ports)
{
    public const string Section = "Ports";

    private readonly HashSet<int> _handedOut = [];

    public int For(string name)
    {
        var preferred = ports.GetValue<int?>(name);
        if (preferred is { } port && port > 0 && !_handedOut.Contains(port) && IsFree(port))
        {
            _handedOut.Add(port);
            return port;
        }

        var free = FreePort();
        if (preferred is > 0)
        {
            Console.Error.WriteLine($"Port {preferred} for {name} is in use; {name} gets port {free} instead.");
        }

        return free;
    }

    private int FreePort()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            if (_handedOut.Add(port))
            {
                return port;
            }
        }
    }

    private static bool IsFree(int port)
    {
        try
        {
            // A server on 0.0.0.0 or 127.0.0.1 makes this bind fail, which is what we want to know.
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
