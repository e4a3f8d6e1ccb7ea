using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace HcsLicensing.SmartAccountSync.Tests.Support;

/// <summary>Every log entry the service writes, with its message, structured values, scopes and exception text.</summary>
internal sealed class LogCapture : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<string> _lines = new();
    private IExternalScopeProvider? _scopes;

    public IReadOnlyList<string> Lines => [.. _lines];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(LogCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => capture._scopes?.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            var scopes = new List<string>();
            capture._scopes?.ForEachScope((scope, list) => list.Add(scope?.ToString() ?? ""), scopes);
            capture._lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} | {values} | {string.Join(" / ", scopes)} | {exception}");
        }
    }
}
