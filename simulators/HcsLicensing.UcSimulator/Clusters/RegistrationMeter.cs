namespace HcsLicensing.UcSimulator.Clusters;

/// <summary>
/// How many registrations the simulated publishers have in flight at once (from the accepted register until the
/// publisher's restart is over), and the most since the last reset: what a test reads to check that a batch really
/// ran at most its concurrency, measured where the work happens rather than echoed by the caller.
/// </summary>
public sealed class RegistrationMeter
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, DateTimeOffset> _restartEnds = new(StringComparer.OrdinalIgnoreCase);
    private int _most;

    /// <summary>A register of <paramref name="cluster"/> was accepted; its publisher restarts until <paramref name="restartEnds"/>.</summary>
    public void Began(string cluster, DateTimeOffset now, DateTimeOffset restartEnds)
    {
        lock (_gate)
        {
            Prune(now);
            _restartEnds[cluster] = restartEnds;
            _most = Math.Max(_most, _restartEnds.Count);
        }
    }

    /// <summary>The registrations in flight now, and the most at once since the last <see cref="Reset"/>.</summary>
    public (int InFlight, int Most) Read(DateTimeOffset now)
    {
        lock (_gate)
        {
            Prune(now);
            return (_restartEnds.Count, _most);
        }
    }

    /// <summary>Starts a new measurement: the most becomes what is in flight now.</summary>
    public void Reset(DateTimeOffset now)
    {
        lock (_gate)
        {
            Prune(now);
            _most = _restartEnds.Count;
        }
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var ended in _restartEnds.Where(r => r.Value <= now).Select(r => r.Key).ToList())
        {
            _restartEnds.Remove(ended);
        }
    }
}
