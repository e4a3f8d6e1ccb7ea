using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using RabbitMQ.Client.Exceptions;

namespace HcsLicensing.ServiceDefaults.ErrorQueues;

/// <summary>
/// The service's own executable as the operator's tool for its error queues, with the service's configuration (so
/// inside its container or pod: <c>docker compose exec chpa dotnet HcsLicensing.Chpa.dll errors list</c>):
/// <code>
/// errors list                         the error queues and how many messages each holds
/// errors list &lt;queue&gt; [--limit N]     its first N messages (100): id, type, when and why they failed
/// errors move &lt;queue&gt; --all           every message back to its queue
/// errors move &lt;queue&gt; &lt;messageId&gt;...  those messages back (nothing moves if one is not there)
/// </code>
/// Exit code 0 when done, 1 when it could not be (unknown queue or message, broker unreachable), 2 for wrong arguments.
/// The service itself does not start. The HTTP twin is <see cref="ErrorQueueApi"/>.
/// </summary>
public static class ErrorQueueCommand
{
    public const string Verb = "errors";

    private const int Usage = 2;
    private const int Failed = 1;

    private static readonly string UsageText = string.Join(
        Environment.NewLine,
        "usage:",
        "  errors list                           the service's error queues and their depth",
        "  errors list <queue> [--limit N]       the first N (default 100) messages of one: id, type, when and why they failed",
        "  errors move <queue> --all             move every message back to its queue",
        "  errors move <queue> <messageId>...    move those messages back (nothing moves unless all are there)",
        "<queue>: as listed (prefix-chpa_error), or its receive queue's name, with or without the endpoint prefix.");

    /// <summary>
    /// When <paramref name="args"/> start with <c>errors</c>, runs the command with the built application's configuration
    /// instead of the service, sets the process's exit code and answers true (Program.cs then returns).
    /// </summary>
    public static async Task<bool> RunErrorQueueCommandAsync(this IHost app, string[] args)
    {
        if (args.Length == 0 || args[0] != Verb)
        {
            return false;
        }

        Environment.ExitCode = await RunAsync(app.Services, args[1..], Console.Out, Console.Error);
        if (app is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync(); // closes the broker connection; the bus was created, never started
        }
        else
        {
            app.Dispose();
        }

        return true;
    }

    /// <summary>
    /// When this process was started as the command (<c>dotnet X.dll errors ...</c>), logs go to stderr and only from
    /// warnings up: stdout is the command's table, fit for a pipe. Called by AddServiceDefaults, before the app is built.
    /// </summary>
    internal static void QuietLoggingIfRequested(IHostApplicationBuilder builder)
    {
        if (Environment.GetCommandLineArgs() is not [_, Verb, ..])
        {
            return;
        }

        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter(level => level >= LogLevel.Warning);
        builder.Services.Configure<ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
    }

    /// <summary>Runs one command (the arguments after <c>errors</c>); the exit code.</summary>
    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        if (services.GetService<ErrorQueueBroker>() is not { } broker)
        {
            await error.WriteLineAsync("this service has no message bus, hence no error queues");
            return Failed;
        }

        try
        {
            return args switch
            {
                ["list"] => await ListQueuesAsync(broker, output, cancellationToken),
                ["list", var queue] => await ListMessagesAsync(broker, queue, ErrorQueueApi.DefaultLimit, output, error, cancellationToken),
                ["list", var queue, "--limit", var limit] when int.TryParse(limit, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= ErrorQueueApi.MaxLimit
                    => await ListMessagesAsync(broker, queue, n, output, error, cancellationToken),
                ["move", var queue, "--all"] => await MoveAsync(broker, queue, null, output, error, cancellationToken),
                ["move", var queue, .. var ids] when ids.Length > 0 && !ids.Any(id => id.StartsWith("--", StringComparison.Ordinal))
                    => await MoveAsync(broker, queue, ids, output, error, cancellationToken),
                _ => await WriteUsageAsync(error),
            };
        }
        catch (Exception unreachable) when (unreachable is BrokerUnreachableException or AlreadyClosedException)
        {
            await error.WriteLineAsync($"RabbitMQ cannot be reached ({unreachable.GetBaseException().Message}); nothing was changed");
            return Failed;
        }
    }

    private static async Task<int> ListQueuesAsync(ErrorQueueBroker broker, TextWriter output, CancellationToken cancellationToken)
    {
        var depths = await broker.DepthsAsync(cancellationToken);
        await TextTable.WriteAsync(
            output,
            ["ERROR QUEUE", "MESSAGES", "RECEIVE QUEUE"],
            [.. depths.Select(d => new[] { d.Queue.Name, d.Depth.ToString(CultureInfo.InvariantCulture), d.Queue.ReceiveQueue })]);
        return 0;
    }

    private static async Task<int> ListMessagesAsync(ErrorQueueBroker broker, string name, int limit, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (await FindAsync(broker, name, error) is not { } queue)
        {
            return Failed;
        }

        var page = await broker.PeekAsync(queue, limit, cancellationToken);
        await output.WriteLineAsync($"{queue.Name}: {page.Depth} message(s){(page.Messages.Count < page.Depth ? $", the first {page.Messages.Count} shown" : "")}; they go back to {queue.ReceiveQueue}");
        await TextTable.WriteAsync(
            output,
            ["MESSAGE ID", "FAULTED AT (UTC)", "MESSAGE TYPE", "REASON", "EXCEPTION"],
            [.. page.Messages.Select(m => new[]
            {
                m.MessageId ?? "(none)",
                m.FaultedAt?.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "-",
                string.Join(", ", m.MessageTypes.Select(ShortType)) is { Length: > 0 } types ? types : "-",
                m.Reason ?? "-",
                $"{m.ExceptionType}: {m.ExceptionMessage}".Trim(' ', ':') is { Length: > 0 } why ? why : "-",
            })]);
        return 0;
    }

    private static async Task<int> MoveAsync(ErrorQueueBroker broker, string name, IReadOnlyCollection<string>? ids, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (await FindAsync(broker, name, error) is not { } queue)
        {
            return Failed;
        }

        var result = await broker.MoveAsync(queue, ids, cancellationToken);
        if (result.UnknownMessageIds.Count > 0)
        {
            await error.WriteLineAsync($"not in {queue.Name}: {string.Join(", ", result.UnknownMessageIds)}; nothing was moved");
            return Failed;
        }

        await output.WriteLineAsync($"moved {result.Moved.Count} message(s) from {queue.Name} to {queue.ReceiveQueue}");
        foreach (var id in result.Moved)
        {
            await output.WriteLineAsync($"  {id ?? "(no message id)"}");
        }

        if (result.Refused is { } refused)
        {
            await error.WriteLineAsync($"stopped: {refused}; the rest stay in {queue.Name}");
            return Failed;
        }

        return 0;
    }

    private static async Task<ErrorQueue?> FindAsync(ErrorQueueBroker broker, string name, TextWriter error)
    {
        if (broker.Find(name) is { } queue)
        {
            return queue;
        }

        await error.WriteLineAsync($"'{name}' is not an error queue of this service; its error queues: {string.Join(", ", broker.Queues.Select(q => q.Name))}");
        return null;
    }

    private static async Task<int> WriteUsageAsync(TextWriter error)
    {
        await error.WriteLineAsync(UsageText);
        return Usage;
    }

    /// <summary>urn:message:HcsLicensing.Contracts.Chpa:VerifyClusterRequest -> VerifyClusterRequest: the table stays readable.</summary>
    private static string ShortType(string urn) => urn[(urn.LastIndexOf(':') + 1)..];
}
