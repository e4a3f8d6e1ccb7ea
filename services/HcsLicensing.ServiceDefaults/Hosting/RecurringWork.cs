using HcsLicensing.ServiceDefaults.Messaging;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HcsLicensing.ServiceDefaults.Hosting;

/// <summary>
/// A background job that makes one pass every <see cref="Interval"/> in every replica (sweepers, periodic syncs):
/// each pass must be safe to run in several replicas at once. A pass that fails is logged and the next one tries
/// again; an outage (the database away) is one line, not a stack trace a second.
/// </summary>
public abstract class RecurringWork(TimeProvider clock, ILogger logger) : BackgroundService
{
    /// <summary>The clock the passes run on (the host's; tests move it).</summary>
    protected TimeProvider Clock { get; } = clock;

    protected ILogger Logger { get; } = logger;

    /// <summary>Time between two passes.</summary>
    protected abstract TimeSpan Interval { get; }

    /// <summary>What a pass does, for the log ("looking for overdue steps").</summary>
    protected abstract string Work { get; }

    /// <summary>False to stay off (e.g. a period of zero configured); checked once at start.</summary>
    protected virtual bool Enabled => true;

    protected abstract Task RunOnceAsync(CancellationToken cancellationToken);

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled)
        {
            Logger.LogInformation("{Work}: off", Work);
            return;
        }

        using var timer = new PeriodicTimer(Interval, Clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception exception) when (Outages.IsOutage(exception))
            {
                Logger.LogWarning("{Work} skipped: the database is unreachable ({Error}); trying again in {Interval}", Work, exception.GetBaseException().Message, Interval);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                Logger.LogWarning(exception, "{Work} failed; trying again in {Interval}", Work, Interval);
            }
        }
    }
}
