using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using HcsLicensing.TestBed;
using RabbitMQ.Client;

namespace HcsLicensing.Benchmarks;

/// <summary>
/// What the broker counted, without the management plugin (the test bed's local node enables no plugin): RabbitMQ's
/// global counters (rabbit_global_counters, in the core since 3.9: messages received from publishers, routed,
/// delivered to consumers, acknowledged, dropped as unroutable), read with `rabbitmqctl eval` on the local node this
/// benchmark started. Each call starts an Erlang VM (about a second of CPU), so it is only called outside timed
/// windows. Unavailable (null) when the broker is not a local node of this process (containers, HCS_TEST_RABBITMQ).
/// </summary>
internal sealed partial class BrokerStats
{
    private const string Ctl = "/usr/lib/rabbitmq/bin/rabbitmqctl";

    // Sums each counter over its labels (protocol, queue type): #{messages_received_total => N, ...}.
    private const string CountersExpression =
        "maps:fold(fun(_, Cs, Acc) -> maps:fold(fun(K, V, A) -> maps:update_with(K, fun(X) -> X + V end, V, A) end, Acc, Cs) end, #{}, rabbit_global_counters:overview()).";

    private readonly string _node;

    private BrokerStats(string node) => _node = node;

    public string Node => _node;

    /// <summary>The local node this process started (its Erlang node name, from beam.smp's environment); null if there is none.</summary>
    public static async Task<BrokerStats?> FindAsync()
    {
        if (!File.Exists(Ctl))
        {
            return null;
        }

        foreach (var (pid, _) in ProcessCpu.Descendants().Where(p => p.Command.StartsWith("beam", StringComparison.Ordinal)))
        {
            // rabbitmq-server names the node through RABBITMQ_NODENAME (3.10 starts distribution itself: no -sname).
            string? node;
            try
            {
                node = (await File.ReadAllTextAsync($"/proc/{pid}/environ")).Split('\0')
                    .FirstOrDefault(v => v.StartsWith("RABBITMQ_NODENAME=", StringComparison.Ordinal))?["RABBITMQ_NODENAME=".Length..];
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            if (node is { Length: > 0 })
            {
                var stats = new BrokerStats(node);
                if (await stats.CountersAsync() is not null)
                {
                    return stats;
                }
            }
        }

        return null;
    }

    /// <summary>The global counters summed over their labels, e.g. messages_received_total; null if the node did not answer.</summary>
    public async Task<IReadOnlyDictionary<string, long>?> CountersAsync()
    {
        var output = await RunAsync("eval", CountersExpression);
        if (output is null)
        {
            return null;
        }

        var counters = CounterPattern().Matches(output).ToDictionary(m => m.Groups[1].Value, m => long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
        return counters.Count > 0 ? counters : null;
    }

    /// <summary>Names of the queues whose name starts with <paramref name="prefix"/>.</summary>
    public async Task<IReadOnlyList<string>> QueuesAsync(string prefix)
    {
        var output = await RunAsync("-s", "list_queues", "name") ?? "";
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(name => name.StartsWith(prefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)];
    }

    /// <summary>Messages (ready and unacknowledged) in each queue whose name starts with <paramref name="prefix"/>; throws if the node did not answer.</summary>
    public async Task<IReadOnlyDictionary<string, long>> QueueMessagesAsync(string prefix)
    {
        var output = await RunAsync("-s", "list_queues", "name", "messages")
            ?? throw new InvalidOperationException($"rabbitmqctl list_queues on {_node} did not answer");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('\t'))
            .Where(fields => fields.Length == 2 && fields[0].StartsWith(prefix, StringComparison.Ordinal))
            .ToDictionary(fields => fields[0], fields => long.Parse(fields[1], CultureInfo.InvariantCulture), StringComparer.Ordinal);
    }

    private async Task<string?> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(Ctl) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-n");
        start.ArgumentList.Add(_node);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start);
        if (process is null)
        {
            return null;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return null;
        }

        if (process.ExitCode != 0)
        {
            await Console.Error.WriteLineAsync($"rabbitmqctl {string.Join(' ', arguments)} failed ({process.ExitCode}): {(await error).Trim()}");
            return null;
        }

        return await output;
    }

    [GeneratedRegex(@"([a-z_]+)\s*=>\s*(\d+)")]
    private static partial Regex CounterPattern();
}

/// <summary>
/// Samples the ready messages of some queues (AMQP passive declares, cheap for the broker) every
/// <see cref="Interval"/> while a phase runs: a queue whose backlog grows is where the work waits.
/// </summary>
internal sealed class QueueDepthSampler : IAsyncDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    private readonly IConnection _connection;
    private readonly IReadOnlyList<string> _queues;
    private readonly ConcurrentDictionary<string, (long Max, long Sum, int Samples)> _depths = new();
    private CancellationTokenSource? _running;
    private Task? _loop;

    private QueueDepthSampler(IConnection connection, IReadOnlyList<string> queues)
    {
        _connection = connection;
        _queues = queues;
    }

    public static async Task<QueueDepthSampler> StartAsync(RabbitMqEndpoint endpoint, IReadOnlyList<string> queues)
    {
        var connection = await new ConnectionFactory { Uri = endpoint.AmqpUri, ClientProvidedName = "benchmark-queue-depths" }.CreateConnectionAsync();
        return new QueueDepthSampler(connection, queues);
    }

    /// <summary>Starts a new series of samples (the previous phase's are forgotten).</summary>
    public void Begin()
    {
        _depths.Clear();
        _running = new CancellationTokenSource();
        _loop = SampleAsync(_running.Token);
    }

    /// <summary>Stops sampling; per queue the largest and the mean number of ready messages seen.</summary>
    public async Task<IReadOnlyDictionary<string, (long Max, double Mean)>> EndAsync()
    {
        if (_running is not null)
        {
            await _running.CancelAsync();
            await (_loop ?? Task.CompletedTask);
            _running.Dispose();
            _running = null;
        }

        return _depths.ToDictionary(pair => pair.Key, pair => (pair.Value.Max, pair.Value.Samples == 0 ? 0 : (double)pair.Value.Sum / pair.Value.Samples));
    }

    public async ValueTask DisposeAsync()
    {
        await EndAsync();
        await _connection.DisposeAsync();
    }

    private async Task SampleAsync(CancellationToken cancellationToken)
    {
        IChannel? channel = null;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                foreach (var queue in _queues)
                {
                    try
                    {
                        channel ??= await _connection.CreateChannelAsync(cancellationToken: cancellationToken);
                        var ok = await channel.QueueDeclarePassiveAsync(queue, cancellationToken);
                        _depths.AddOrUpdate(queue, _ => (ok.MessageCount, ok.MessageCount, 1), (_, d) => (Math.Max(d.Max, ok.MessageCount), d.Sum + ok.MessageCount, d.Samples + 1));
                    }
                    catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
                    {
                        // The queue is gone (e.g. an auto-delete one): the broker closed the channel; open another.
                        channel = null;
                    }
                }

                await Task.Delay(Interval, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Phase over.
        }
        finally
        {
            if (channel is not null)
            {
                await channel.DisposeAsync();
            }
        }
    }
}
