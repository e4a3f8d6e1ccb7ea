using System.Collections.Concurrent;

namespace HcsLicensing.UcSimulator.Clusters;

/// <summary>Every simulated cluster, found by publisher host (how the licensing API is addressed) or by name (admin API).</summary>
public sealed class ClusterStore
{
    private readonly ConcurrentDictionary<string, SimCluster> _byPublisher = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, SimCluster> _byName = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _writeGate = new();

    public int Count => _byName.Count;

    public SimCluster? ByPublisher(string publisher) => _byPublisher.GetValueOrDefault(publisher);

    public SimCluster? ByName(string name) => _byName.GetValueOrDefault(name);

    /// <summary>Adds or replaces the cluster named in <paramref name="definition"/>; false when its publisher belongs to another cluster.</summary>
    public bool Put(SimClusterDefinition definition)
    {
        // Writes are rare (seeding, admin): one lock keeps the two indexes consistent.
        lock (_writeGate)
        {
            if (_byPublisher.TryGetValue(definition.Publisher, out var owner) && !string.Equals(owner.Name, definition.Name, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            if (_byName.TryGetValue(definition.Name, out var previous))
            {
                _byPublisher.TryRemove(previous.Publisher, out _);
            }

            var cluster = new SimCluster(definition);
            _byName[definition.Name] = cluster;
            _byPublisher[definition.Publisher] = cluster;
            return true;
        }
    }

    public bool Remove(string name)
    {
        lock (_writeGate)
        {
            if (!_byName.TryRemove(name, out var cluster))
            {
                return false;
            }

            _byPublisher.TryRemove(cluster.Publisher, out _);
            return true;
        }
    }

    /// <summary>A page of clusters in name order.</summary>
    public IReadOnlyList<SimCluster> Page(int offset, int limit) =>
        [.. _byName.Values.OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase).Skip(offset).Take(limit)];
}
