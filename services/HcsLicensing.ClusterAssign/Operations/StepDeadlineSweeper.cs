using HcsLicensing.ClusterAssign.Data;
using HcsLicensing.ServiceDefaults.Hosting;
using HcsLicensing.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HcsLicensing.ClusterAssign.Operations;

/// <summary>
/// The durable timeout of every wait: the saga row holds its Deadline, so a wait survives any restart with no
/// scheduled message per request (two fewer messages and commits per step than Schedule/Unschedule). Every
/// replica looks for overdue rows and sends each a <see cref="StepTimedOut"/>; the saga ignores one whose wait already
/// ended, so duplicates from several replicas are harmless.
/// </summary>
public sealed class StepDeadlineSweeper(
    IServiceScopeFactory scopes,
    IBus bus,
    EndpointAddresses addresses,
    IOptions<ClusterAssignOptions> options,
    TimeProvider clock,
    ILogger<StepDeadlineSweeper> logger) : RecurringWork(clock, logger)
{
    private const int Batch = 500;

    // Waits this replica already reported, so an overdue row waiting for its turn in the queue is not reported every second.
    private readonly Dictionary<Guid, DateTimeOffset> reported = [];

    protected override TimeSpan Interval => options.Value.SweepInterval;

    protected override string Work => "Looking for overdue cluster operation steps";

    protected override Task RunOnceAsync(CancellationToken cancellationToken) => SweepAsync(addresses.Queue(ClusterAssignQueues.Operations), cancellationToken);

    private async Task SweepAsync(Uri queue, CancellationToken cancellationToken)
    {
        var now = Clock.GetUtcNow();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClusterAssignDbContext>();
        var due = await db.ClusterOperations.AsNoTracking()
            .Where(c => c.Deadline != null && c.Deadline <= now)
            .OrderBy(c => c.Deadline)
            .Select(c => new { c.ClusterName, c.WaitToken })
            .Take(Batch)
            .ToListAsync(cancellationToken);
        var endpoint = await bus.GetSendEndpoint(queue);
        foreach (var wait in due.Where(w => reported.TryAdd(w.WaitToken, now)))
        {
            Logger.LogInformation("Wait {WaitToken} of {ClusterName} is overdue", wait.WaitToken, wait.ClusterName);
            await endpoint.Send(new StepTimedOut(wait.ClusterName, wait.WaitToken), cancellationToken);
        }

        // Forget reports after a minute: if the saga's queue lost nothing, the row has moved on; if it did, report again.
        foreach (var old in reported.Where(r => now - r.Value > TimeSpan.FromMinutes(1)).Select(r => r.Key).ToList())
        {
            reported.Remove(old);
        }
    }
}
