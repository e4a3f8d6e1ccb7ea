using System.Net;

namespace HcsLicensing.Chpa.Inventory;

/// <summary>
/// The publishers CHPA may send credentials to (<c>Chpa:AllowedPublisherHosts</c>): exact host names
/// ("cucm-pub.partner.example"), host patterns ("*.partner.example": any host below that domain), IP addresses and
/// CIDRs ("10.20.0.0/16"). A host name matches host entries only and an IP address IP entries only: nothing is
/// resolved, so a name cannot be pointed at an allowed address later and count as allowed (DNS itself stays the
/// operator's to secure). An empty list allows nothing: CHPA fails closed.
/// </summary>
public sealed class PublisherAllowList
{
    public const string Section = "Chpa:AllowedPublisherHosts";

    private readonly List<string> _hosts = [];
    private readonly List<string> _domainSuffixes = [];
    private readonly List<IPNetwork> _networks = [];

    public PublisherAllowList(IEnumerable<string> entries)
    {
        foreach (var raw in entries)
        {
            var entry = Normalize(raw);
            if (entry.Length == 0)
            {
                continue;
            }

            if (entry.Contains('/', StringComparison.Ordinal))
            {
                _networks.Add(IPNetwork.TryParse(entry, out var network)
                    ? network
                    : throw new InvalidOperationException($"{Section}: '{raw}' is not a CIDR such as 10.20.0.0/16"));
            }
            else if (IPAddress.TryParse(entry, out var address))
            {
                _networks.Add(new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
            }
            else if (entry.StartsWith("*.", StringComparison.Ordinal) && Uri.CheckHostName(entry[2..]) == UriHostNameType.Dns)
            {
                _domainSuffixes.Add(entry[1..]); // ".partner.example"
            }
            else if (Uri.CheckHostName(entry) == UriHostNameType.Dns)
            {
                _hosts.Add(entry);
            }
            else
            {
                throw new InvalidOperationException($"{Section}: '{raw}' is neither a host name, a *.domain pattern, an IP address nor a CIDR");
            }
        }
    }

    public static PublisherAllowList FromConfiguration(IConfiguration configuration) =>
        new(configuration.GetSection(Section).Get<string[]>() ?? []);

    /// <summary>True when credentials may go to this publisher address.</summary>
    public bool Allows(string publisherAddress)
    {
        var address = Normalize(publisherAddress);
        if (IPAddress.TryParse(address.Trim('[', ']'), out var ip))
        {
            return _networks.Any(network => network.Contains(ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip));
        }

        return _hosts.Contains(address, StringComparer.Ordinal)
            || _domainSuffixes.Any(suffix => address.Length > suffix.Length && address.EndsWith(suffix, StringComparison.Ordinal));
    }

    /// <summary>Trimmed, lower case, without the root's trailing dot: the form addresses are compared in.</summary>
    public static string Normalize(string address) => address.Trim().TrimEnd('.').ToLowerInvariant();
}
