using System.Diagnostics;
using OpenTelemetry;

namespace HcsLicensing.Observability.Tests.Tracing;

/// <summary>
/// Which of the in-process services the code running now belongs to. ActivitySource listeners are process-wide: each
/// service's tracer provider sees the spans of all four, so which provider exported a span says nothing. What does is
/// the execution context: each host is started inside its service's scope, so everything it starts (bus, consumers,
/// hosted services, timers) carries it; test requests enter it through <see cref="AttributingHandler"/> (with the
/// TestServer preserving the caller's execution context).
/// </summary>
public static class ServiceAttribution
{
    private const string Property = "hcs.test.service";
    private static readonly AsyncLocal<string?> Current = new();

    /// <summary>Runs what follows (and everything it starts) as <paramref name="service"/>'s code.</summary>
    public static Scope Enter(string service)
    {
        var previous = Current.Value;
        Current.Value = service;
        return new Scope(previous);
    }

    /// <summary>The service whose code started <paramref name="activity"/>; null if none did (e.g. the test itself).</summary>
    public static string? OwnerOf(Activity activity) => activity.GetCustomProperty(Property) as string;

    /// <summary>Marks each span, when it starts, with the service whose code started it.</summary>
    public sealed class Marker : BaseProcessor<Activity>
    {
        public override void OnStart(Activity data)
        {
            if (Current.Value is { } service && OwnerOf(data) is null)
            {
                data.SetCustomProperty(Property, service);
            }
        }
    }

    public readonly struct Scope(string? previous) : IDisposable
    {
        public void Dispose() => Current.Value = previous;
    }
}

/// <summary>Sends a test's request as the service it calls, so that the service's server span is attributed to it.</summary>
public sealed class AttributingHandler(string service) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (ServiceAttribution.Enter(service))
        {
            return await base.SendAsync(request, cancellationToken);
        }
    }
}

/// <summary>A span as one service's in-memory exporter exported it.</summary>
public sealed record ExportedSpan(string Service, Activity Activity)
{
    public string TraceId => Activity.TraceId.ToHexString();

    public string? Tag(string name) => Activity.GetTagItem(name)?.ToString();

    public override string ToString() =>
        $"{Service} {Activity.Source.Name} {Activity.Kind} '{Activity.DisplayName}' trace {TraceId} span {Activity.SpanId.ToHexString()} parent {Activity.ParentSpanId.ToHexString()}";
}

/// <summary>
/// The spans of all four services in one list. Each service's tracer provider has OpenTelemetry's in-memory exporter
/// writing to <see cref="For"/>(service), which keeps only the spans that service's code started (every provider
/// exports every span: see <see cref="ServiceAttribution"/>), so each span is in the list once, under its service.
/// </summary>
public sealed class SpanStore
{
    private readonly List<ExportedSpan> spans = [];

    public ICollection<Activity> For(string service) => new ServiceSpans(this, service);

    public IReadOnlyList<ExportedSpan> All
    {
        get
        {
            lock (spans)
            {
                return [.. spans];
            }
        }
    }

    private void Add(ExportedSpan span)
    {
        lock (spans)
        {
            spans.Add(span);
        }
    }

    private sealed class ServiceSpans(SpanStore store, string service) : ICollection<Activity>
    {
        public int Count => store.All.Count(span => span.Service == service);

        public bool IsReadOnly => false;

        public void Add(Activity item)
        {
            if (ServiceAttribution.OwnerOf(item) == service)
            {
                store.Add(new ExportedSpan(service, item));
            }
        }

        public void Clear() => throw new NotSupportedException("the spans are the test's record");

        public bool Contains(Activity item) => store.All.Any(span => span.Service == service && span.Activity == item);

        public void CopyTo(Activity[] array, int arrayIndex) =>
            store.All.Where(span => span.Service == service).Select(span => span.Activity).ToArray().CopyTo(array, arrayIndex);

        public bool Remove(Activity item) => throw new NotSupportedException("the spans are the test's record");

        public IEnumerator<Activity> GetEnumerator() => store.All.Where(span => span.Service == service).Select(span => span.Activity).GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
