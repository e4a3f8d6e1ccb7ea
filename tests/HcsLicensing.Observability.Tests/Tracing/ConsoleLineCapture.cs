using System.Collections.Concurrent;
using HcsLicensing.ServiceDefaults.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace HcsLicensing.Observability.Tests.Tracing;

/// <summary>
/// A logger provider that writes each entry as the services' console does (<see cref="TraceConsoleFormatter"/>, on the
/// logging thread, as the console logger calls it) into memory instead of stdout: the lines an operator would read.
/// </summary>
public sealed class ConsoleLineCapture(string service) : ILoggerProvider
{
    private readonly TraceConsoleFormatter formatter = new(new FixedOptions());
    private readonly ConcurrentQueue<string> lines = new();

    public string Service { get; } = service;

    public IReadOnlyList<string> Lines => [.. lines];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(ConsoleLineCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            using var writer = new StringWriter();
            capture.formatter.Write(new LogEntry<TState>(logLevel, category, eventId, state, exception, formatter), null, writer);
            capture.lines.Enqueue(writer.ToString());
        }
    }

    private sealed class FixedOptions : IOptionsMonitor<ConsoleFormatterOptions>
    {
        public ConsoleFormatterOptions CurrentValue { get; } = new();

        public ConsoleFormatterOptions Get(string? name) => CurrentValue;

        public IDisposable? OnChange(Action<ConsoleFormatterOptions, string?> listener) => null;
    }
}
