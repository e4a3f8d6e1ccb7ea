using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace HcsLicensing.TestBed.Suite;

/// <summary>
/// Listening ports for suite processes, taken below the kernel's ephemeral range. A port from the ephemeral range
/// (what binding port 0 gives) can be taken as the local port of any outgoing connection in the second or two before
/// the service binds it, or while a killed service is down; the suite's processes alone make hundreds of connections
/// to RabbitMQ and PostgreSQL. Below the range only another listener can take it.
/// </summary>
internal static class SuitePorts
{
    private static readonly HashSet<int> Given = [];

    /// <summary>A port nobody listens on now and that this process has not handed out before.</summary>
    public static int Next()
    {
        var (low, high) = Range();
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            var port = Random.Shared.Next(low, high);
            lock (Given)
            {
                if (Given.Contains(port) || !IsFree(port))
                {
                    continue;
                }

                Given.Add(port);
                return port;
            }
        }

        // Everything below the ephemeral range seems taken (or the range starts very low): let the kernel choose.
        return LocalProcess.FreePort();
    }

    public static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>[10000, first ephemeral port); Linux's default range starts at 32768.</summary>
    private static (int Low, int High) Range()
    {
        var firstEphemeral = 32768;
        try
        {
            var text = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            firstEphemeral = int.Parse(text[0], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            // Not Linux, or unreadable: keep the default.
        }

        return firstEphemeral > 11000 ? (10000, firstEphemeral) : (firstEphemeral, 65535);
    }
}
