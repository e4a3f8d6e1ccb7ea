using System.Globalization;
using System.Net;

namespace HcsLicensing.ServiceDefaults.Messaging;

/// <summary>
/// Where the broker listens: the connection string's host, or the nodes of Messaging:ClusterNodes (host:port, the
/// connection string's port when none is given). The bus, the readiness check and the error-queue tools use the same list.
/// </summary>
public static class BrokerNodes
{
    public static IReadOnlyList<DnsEndPoint> Of(Uri broker, IReadOnlyCollection<string> clusterNodes)
    {
        var port = BrokerTls.PortOf(broker);
        if (clusterNodes.Count == 0)
        {
            return [new DnsEndPoint(broker.Host, port)];
        }

        return [.. clusterNodes.Select(node => Parse(node, port))];
    }

    private static DnsEndPoint Parse(string node, int defaultPort)
    {
        var separator = node.LastIndexOf(':');
        if (separator < 0)
        {
            return new DnsEndPoint(node.Trim(), defaultPort);
        }

        return int.TryParse(node.AsSpan(separator + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536
            ? new DnsEndPoint(node[..separator].Trim(), port)
            : throw new InvalidOperationException($"Messaging:ClusterNodes: '{node}' is not host or host:port.");
    }
}
