using System.Collections.Concurrent;
using System.Diagnostics;

namespace HcsLicensing.Chpa.Tests.Support;

/// <summary>Every span this process ends while it listens, from every ActivitySource, rendered with tags, events and baggage.</summary>
public sealed class CapturedSpans : IDisposable
{
    private readonly ConcurrentQueue<string> _spans = new();
    private readonly ActivityListener _listener;

    public CapturedSpans()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => _spans.Enqueue(Render(activity)),
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public IReadOnlyList<string> Spans => [.. _spans];

    public void Dispose() => _listener.Dispose();

    private static string Render(Activity activity) =>
        $"{activity.Source.Name} {activity.DisplayName} {activity.OperationName} status={activity.StatusDescription} "
        + string.Join("; ", activity.TagObjects.Select(t => $"{t.Key}={t.Value}"))
        + " events: " + string.Join("; ", activity.Events.Select(e => $"{e.Name} {string.Join(",", e.Tags.Select(t => $"{t.Key}={t.Value}"))}"))
        + " baggage: " + string.Join("; ", activity.Baggage.Select(b => $"{b.Key}={b.Value}"));
}
