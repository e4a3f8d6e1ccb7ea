using System.Collections.Concurrent;

namespace HcsLicensing.CssmSimulator.Inspection;

/// <summary>Every CSSM call received, counted per method and path and per answered status, for tests to assert on.</summary>
public sealed class CallLog
{
    private readonly ConcurrentDictionary<(string Method, string Path), ConcurrentDictionary<int, int>> _calls = new();

    public void Record(string method, string path, int status) =>
        _calls.GetOrAdd((method, path), _ => new()).AddOrUpdate(status, 1, (_, n) => n + 1);

    public IReadOnlyList<CallCount> Snapshot() =>
        [.. _calls
            .Select(c => new CallCount(c.Key.Method, c.Key.Path, c.Value.Values.Sum(), c.Value.ToDictionary(s => s.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), s => s.Value)))
            .OrderBy(c => c.Path, StringComparer.Ordinal).ThenBy(c => c.Method, StringComparer.Ordinal)];

    public void Reset() => _calls.Clear();
}

/// <summary>How often one method and path was called, and with which answers ("200": 3, "429": 2).</summary>
public sealed record CallCount(string Method, string Path, int Count, IReadOnlyDictionary<string, int> ByStatus);
