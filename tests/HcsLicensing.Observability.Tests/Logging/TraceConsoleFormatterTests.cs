using System.Diagnostics;
using HcsLicensing.ServiceDefaults.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace HcsLicensing.Observability.Tests.Logging;

/// <summary>The services' console lines: the simple layout, plus the trace id of the operation that logged.</summary>
public sealed class TraceConsoleFormatterTests
{
    [Test]
    public void A_line_logged_inside_a_traced_operation_names_its_trace()
    {
        using var activity = new Activity("consume").SetIdFormat(ActivityIdFormat.W3C);
        activity.ActivityTraceFlags |= ActivityTraceFlags.Recorded;
        activity.Start();

        var text = Format(LogLevel.Warning, "RegisterCluster hcs-cl-0001: FAIL chpaTimedOut");

        Assert.That(text, Is.EqualTo(
            $"warn: HcsLicensing.Chpa.Registration.RegisterClusterConsumer[7] trace={activity.TraceId.ToHexString()}{Environment.NewLine}" +
            $"      RegisterCluster hcs-cl-0001: FAIL chpaTimedOut{Environment.NewLine}"));
    }

    [Test]
    public void A_line_outside_any_trace_or_in_an_unrecorded_one_has_no_trace_id()
    {
        var outside = Format(LogLevel.Information, "started");
        using var probe = new Activity("GET /health/ready").SetIdFormat(ActivityIdFormat.W3C).Start();
        var unrecorded = Format(LogLevel.Information, "probe");

        Assert.Multiple(() =>
        {
            Assert.That(outside, Does.StartWith($"info: HcsLicensing.Chpa.Registration.RegisterClusterConsumer[7]{Environment.NewLine}"));
            Assert.That(unrecorded, Does.Not.Contain("trace="), "a health probe's activity is not exported: its id would lead nowhere");
        });
    }

    [Test]
    public void An_exception_follows_the_message_indented()
    {
        var text = Format(LogLevel.Error, "failed", new InvalidOperationException("broker away"));

        Assert.That(text.Split(Environment.NewLine), Has.Some.StartsWith("      System.InvalidOperationException: broker away"));
    }

    [TestCase(null, "hcs")]
    [TestCase("json", "json")]
    public void The_service_defaults_make_it_the_console_format_unless_configuration_names_another(string? configured, string expected)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["Logging:Console:FormatterName"] = configured;
        builder.AddServiceTelemetry("Chpa");
        using var host = builder.Build();

        Assert.Multiple(() =>
        {
            Assert.That(host.Services.GetRequiredService<IOptions<ConsoleLoggerOptions>>().Value.FormatterName, Is.EqualTo(expected));
            Assert.That(host.Services.GetServices<ConsoleFormatter>().OfType<TraceConsoleFormatter>(), Is.Not.Empty);
            // Scopes carry the ids too, for the JSON format and providers that print scopes.
            var tracking = host.Services.GetRequiredService<IOptions<LoggerFactoryOptions>>().Value.ActivityTrackingOptions;
            Assert.That(tracking.HasFlag(ActivityTrackingOptions.TraceId) && tracking.HasFlag(ActivityTrackingOptions.SpanId), Is.True, tracking.ToString());
        });
    }

    private static string Format(LogLevel level, string message, Exception? exception = null)
    {
        var formatter = new TraceConsoleFormatter(new Options());
        using var writer = new StringWriter();
        formatter.Write(
            new LogEntry<string>(level, "HcsLicensing.Chpa.Registration.RegisterClusterConsumer", new EventId(7), message, exception, (state, _) => state),
            null,
            writer);
        return writer.ToString();
    }

    private sealed class Options : IOptionsMonitor<ConsoleFormatterOptions>
    {
        public ConsoleFormatterOptions CurrentValue { get; } = new();

        public ConsoleFormatterOptions Get(string? name) => CurrentValue;

        public IDisposable? OnChange(Action<ConsoleFormatterOptions, string?> listener) => null;
    }
}
