using Microsoft.Extensions.Options;

namespace HcsLicensing.Console.Jobs;

/// <summary>
/// Where a job's trace is seen (docs/console.md): <c>Console:TraceUrl</c> with <c>{traceId}</c> (e.g. the Aspire
/// dashboard's trace page) when JobTracker recorded the job's trace, else <c>Console:JobSearchUrl</c> with
/// <c>{jobId}</c> (a search of your tracing or log tool). Neither set: no link.
/// </summary>
public sealed class TraceLinkOptions
{
    public const string Section = "Console";

    public string? TraceUrl { get; set; }

    public string? JobSearchUrl { get; set; }
}

/// <summary>A job's link: to its trace, or to a search for the job.</summary>
public sealed record TraceLink(Uri Url, bool IsTrace);

/// <summary>Fills the templates; the values are escaped, so a template decides the rest of the URL.</summary>
public sealed class TraceLinks(IOptions<TraceLinkOptions> options)
{
    /// <summary>The link for a job, or null when no template applies.</summary>
    public TraceLink? For(Guid jobId, string? traceId)
    {
        var settings = options.Value;
        if (!string.IsNullOrWhiteSpace(traceId) && Absolute(settings.TraceUrl?.Replace("{traceId}", Uri.EscapeDataString(traceId), StringComparison.Ordinal)) is { } trace)
        {
            return new TraceLink(trace, IsTrace: true);
        }

        return Absolute(settings.JobSearchUrl?.Replace("{jobId}", jobId.ToString(), StringComparison.Ordinal)) is { } search ? new TraceLink(search, IsTrace: false) : null;
    }

    private static Uri? Absolute(string? url) =>
        !string.IsNullOrWhiteSpace(url) && Uri.TryCreate(url, UriKind.Absolute, out var link) && link.Scheme is "http" or "https" ? link : null;
}
