using System.Collections.Concurrent;
using System.Diagnostics;

namespace HcsLicensing.SmartAccountSync.Tests.Support;

/// <summary>Every span of every ActivitySource in the process while it lives: names, tags, events, status, baggage.</summary>
internal sealed class SpanCapture : IDisposable
{
    private readonly ActivityListener _listener;
    private readonly ConcurrentQueue<string> _spans = new();

    public SpanCapture()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => _spans.Enqueue(Describe(activity)),
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public IReadOnlyList<string> Spans => [.. _spans];

    public void Dispose() => _listener.Dispose();

    private static string Describe(Activity activity) =>
        $"{activity.Source.Name} {activity.DisplayName} {activity.StatusDescription} | " +
        string.Join(" ", activity.TagObjects.Select(t => $"{t.Key}={t.Value}")) + " | " +
        string.Join(" ", activity.Events.Select(e => $"{e.Name}:{string.Join(",", e.Tags.Select(t => $"{t.Key}={t.Value}"))}")) + " | " +
        string.Join(" ", activity.Baggage.Select(b => $"{b.Key}={b.Value}"));
}
