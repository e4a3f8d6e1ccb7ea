using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace HcsLicensing.Observability.Tests.Jobs;

/// <summary>Every measurement of the Meters one IMeterFactory created (so tests running at once do not see each other's).</summary>
public sealed class MetricRecorder : IDisposable
{
    private readonly MeterListener listener = new();
    private readonly ConcurrentQueue<Measurement> measurements = new();

    public MetricRecorder(IMeterFactory factory)
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == factory)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
        listener.Start();
    }

    public IReadOnlyList<Measurement> All => [.. measurements];

    /// <summary>The measurements of one instrument whose tags include every one of <paramref name="tags"/>.</summary>
    public IReadOnlyList<Measurement> Of(string instrument, params (string Key, string Value)[] tags) =>
        [.. measurements.Where(m => m.Instrument == instrument && tags.All(t => m.Tags.TryGetValue(t.Key, out var v) && v == t.Value))];

    /// <summary>The sum of a counter's (or up-down counter's) measurements with those tags.</summary>
    public double Sum(string instrument, params (string Key, string Value)[] tags) => Of(instrument, tags).Sum(m => m.Value);

    public void Dispose() => listener.Dispose();

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, string>();
        foreach (var (key, tagValue) in tags)
        {
            copy[key] = tagValue?.ToString() ?? "";
        }

        measurements.Enqueue(new Measurement(instrument.Name, value, copy));
    }

    public sealed record Measurement(string Instrument, double Value, IReadOnlyDictionary<string, string> Tags);
}
