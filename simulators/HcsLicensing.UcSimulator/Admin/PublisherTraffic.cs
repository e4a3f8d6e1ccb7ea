using System.Collections.Concurrent;

namespace HcsLicensing.UcSimulator.Admin;

/// <summary>
/// Which publisher hosts were called and how many of those calls carried credentials, whether or not a cluster lives
/// there: what a network tap in front of every host would see. Tests read it to prove that credentials never reached a
/// host they were not entered for. Host names and counts only, never the credentials.
/// </summary>
public sealed class PublisherTraffic
{
    private readonly ConcurrentDictionary<string, Counts> _byHost = new(StringComparer.OrdinalIgnoreCase);

    public void Record(string publisher, bool known, bool withCredentials)
    {
        var counts = _byHost.GetOrAdd(publisher, _ => new Counts());
        Interlocked.Increment(ref counts.Requests);
        if (withCredentials)
        {
            Interlocked.Increment(ref counts.WithCredentials);
        }

        counts.Known = known;
    }

    public IReadOnlyList<PublisherTrafficDto> Snapshot() =>
        [.. _byHost.OrderBy(p => p.Key, StringComparer.OrdinalIgnoreCase)
            .Select(p => new PublisherTrafficDto(p.Key, p.Value.Known, Volatile.Read(ref p.Value.Requests), Volatile.Read(ref p.Value.WithCredentials)))];

    private sealed class Counts
    {
        public int Requests;
        public int WithCredentials;
        public bool Known;
    }
}

/// <summary>GET /admin/traffic: one line per publisher host called; <c>known</c> when a simulated cluster lives there.</summary>
public sealed record PublisherTrafficDto(string Publisher, bool Known, int Requests, int RequestsWithCredentials);
