using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HcsLicensing.ServiceDefaults.ErrorQueues;

/// <summary>
/// The gauge <c>hcs.messaging.error_queue.depth</c> (tag <c>queue</c>): messages waiting in each of the service's error
/// queues, so that an alert can fire on anything above zero. Read by passive queue declares (which change nothing),
/// at most once per <see cref="CacheFor"/> however often the exporter collects; while the broker cannot be reached
/// the gauge reports nothing rather than stale figures.
/// </summary>
internal sealed class ErrorQueueDepthGauge(ErrorQueueBroker broker, IMeterFactory meters, TimeProvider clock, ILogger<ErrorQueueDepthGauge> logger) : IHostedService
{
    public const string MeterName = "HcsLicensing.Messaging";
    public const string InstrumentName = "hcs.messaging.error_queue.depth";
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);

    /// <summary>How long a collection waits for the broker before it reports what it has.</summary>
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(2);

    private readonly Lock _gate = new();
    private IReadOnlyList<ErrorQueueDepth> _depths = [];
    private DateTimeOffset _readAt = DateTimeOffset.MinValue;
    private Task? _reading;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // The factory owns the meter (disposed with the host), and the meter the gauge.
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge(InstrumentName, Observe, unit: "{message}", description: "Messages waiting in the service's error queue, per queue");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private IEnumerable<Measurement<long>> Observe()
    {
        Task? reading;
        lock (_gate)
        {
            if (clock.GetUtcNow() - _readAt >= CacheFor && _reading is not { IsCompleted: false })
            {
                _reading = Task.Run(ReadAsync);
            }

            reading = _reading;
        }

        // The exporter's collection runs on its own thread: waiting briefly gives it today's figures.
        reading?.Wait(ReadTimeout);
        return [.. _depths.Select(d => new Measurement<long>(d.Depth, new KeyValuePair<string, object?>("queue", d.Queue.Name)))];
    }

    private async Task ReadAsync()
    {
        try
        {
            _depths = await broker.DepthsAsync();
        }
        catch (Exception exception)
        {
            _depths = [];
            logger.LogWarning("Error queue depths not read: {Error}", exception.GetBaseException().Message);
        }
        finally
        {
            lock (_gate)
            {
                _readAt = clock.GetUtcNow();
            }
        }
    }
}
