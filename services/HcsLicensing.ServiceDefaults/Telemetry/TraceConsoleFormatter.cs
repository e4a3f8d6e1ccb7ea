using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace HcsLicensing.ServiceDefaults.Telemetry;

/// <summary>
/// The console format of every service: ASP.NET Core's "simple" layout plus the trace id of the operation that logged,
/// so that a line found in a container's output leads to the whole trace in the dashboard (and back):
/// <code>
/// warn: HcsLicensing.Chpa.Consumers.RegisterClusterConsumer[0] trace=4bf92f3577b34da6a3ce929d0e0e4736
///       RegisterCluster hcs-cl-0001: FAIL chpaTimedOut
/// </code>
/// The id is read from Activity.Current when the line is written (the console logger formats on the caller's thread),
/// and only for a recorded activity: a health probe's (not traced) would name a trace nobody can find.
/// Logging:Console:FormatterName (e.g. "json", whose scopes carry TraceId and SpanId) chooses another format.
/// </summary>
public sealed class TraceConsoleFormatter(IOptionsMonitor<ConsoleFormatterOptions> options) : ConsoleFormatter(FormatterName)
{
    /// <summary>The name Logging:Console:FormatterName selects it by; the services' default.</summary>
    public const string FormatterName = "hcs";

    private const string Indent = "      ";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter?.Invoke(logEntry.State, logEntry.Exception);
        if (message is null && logEntry.Exception is null)
        {
            return;
        }

        var settings = options.CurrentValue;
        if (settings.TimestampFormat is { } format)
        {
            var now = settings.UseUtcTimestamp ? DateTimeOffset.UtcNow : DateTimeOffset.Now;
            textWriter.Write(now.ToString(format, CultureInfo.InvariantCulture));
        }

        textWriter.Write(LevelOf(logEntry.LogLevel));
        textWriter.Write(": ");
        textWriter.Write(logEntry.Category);
        textWriter.Write('[');
        textWriter.Write(logEntry.EventId.Id.ToString(CultureInfo.InvariantCulture));
        textWriter.Write(']');
        if (TraceIdOf(Activity.Current) is { } traceId)
        {
            textWriter.Write(" trace=");
            textWriter.Write(traceId);
        }

        textWriter.WriteLine();
        if (settings.IncludeScopes && scopeProvider is not null)
        {
            scopeProvider.ForEachScope((scope, writer) =>
            {
                writer.Write(Indent);
                writer.Write("=> ");
                writer.WriteLine(scope);
            }, textWriter);
        }

        if (message is not null)
        {
            WriteIndented(message, textWriter);
        }

        if (logEntry.Exception is not null)
        {
            WriteIndented(logEntry.Exception.ToString(), textWriter);
        }
    }

    /// <summary>The W3C trace id (32 hex digits) of a recorded activity; null when there is none to look up.</summary>
    public static string? TraceIdOf(Activity? activity) =>
        activity is { Recorded: true, IdFormat: ActivityIdFormat.W3C } ? activity.TraceId.ToHexString() : null;

    private static void WriteIndented(string text, TextWriter writer)
    {
        foreach (var line in text.Split('\n'))
        {
            writer.Write(Indent);
            writer.WriteLine(line.TrimEnd('\r'));
        }
    }

    private static string LevelOf(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        LogLevel.Critical => "crit",
        _ => "none",
    };
}
