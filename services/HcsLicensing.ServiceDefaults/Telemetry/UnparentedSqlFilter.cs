using System.Diagnostics;
using OpenTelemetry;

namespace HcsLicensing.ServiceDefaults.Telemetry;

/// <summary>
/// Keeps SQL statements that no operation encloses out of the exported traces. SQL inside a request, a consumed message
/// or a scheduled delivery is a child span of it and stays; a statement with no parent at all is background polling
/// (the durable scheduler's dispatcher every 200 ms, the deadline and wait sweepers, pool connects), several a second per
/// replica, each of which would otherwise be a trace of its own and bury the jobs' traces in the dashboard.
/// Registered before the exporters, it clears the span's Recorded flag, which export processors honour.
/// </summary>
public sealed class UnparentedSqlFilter : BaseProcessor<Activity>
{
    /// <summary>The ActivitySource Npgsql traces commands and connects under.</summary>
    public const string NpgsqlSource = "Npgsql";

    public override void OnStart(Activity data)
    {
        if (data.Source.Name == NpgsqlSource && data.Parent is null && data.ParentSpanId == default)
        {
            data.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
            data.IsAllDataRequested = false;
        }
    }
}
