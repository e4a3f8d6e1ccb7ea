using System.Diagnostics;
using System.Diagnostics.Metrics;
using MassTransit;
using MassTransit.Middleware;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace HcsLicensing.ServiceDefaults.Outbox;

/// <summary>
/// Sends what the outbox holds once it is due, from every instance of the service. A commit that adds messages notifies
/// PostgreSQL's channel <see cref="OutboxModel.Channel"/>, which wakes every dispatcher at once; each pass takes a batch
/// with FOR UPDATE SKIP LOCKED (instances share the work, never send a row twice at once), sends it, and deletes what was
/// sent in the same transaction. A notification for rows an earlier pass already took wakes no pass (<see cref="TakenRows"/>). A crash between the broker's confirm and the commit sends those again with the same
/// message id (the receivers' inbox drops the repeat). One message that cannot be sent is retried alone and, after
/// <see cref="OutboxOptions.MaxAttempts"/>, set aside with its error; it never holds back the rest.
/// </summary>
public sealed class OutboxDispatcher<TDbContext>(
    IServiceScopeFactory scopes,
    IBusControl bus,
    IOptions<OutboxOptions> options,
    TimeProvider clock,
    ILogger<OutboxDispatcher<TDbContext>> logger) : BackgroundService
    where TDbContext : DbContext
{
    /// <summary>The ActivitySource of deliveries, each a child of the trace that decided the message, and the Meter of <c>hcs.outbox.lag</c>.</summary>
    public const string ActivitySourceName = "HcsLicensing.Outbox";

    /// <summary>A message sent this long after it fell due is logged: the dispatcher or the broker is behind.</summary>
    private static readonly TimeSpan LateAfter = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan MinimumWait = TimeSpan.FromMilliseconds(1);

    private static readonly ActivitySource Source = new(ActivitySourceName);
    private static readonly Meter Meter = new(ActivitySourceName);

    // How long after it fell due (commit, or its Delay) each message reached the broker: the outbox's own share of a
    // message's latency, and the first thing to read when scheduled work (polls, timers) seems to come late.
    private static readonly Histogram<double> Lag = Meter.CreateHistogram("hcs.outbox.lag", "s", "From a message's due time to its send to the broker",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] });

    // The rows recent passes took, and the payloads of the notifications since the last pass (the listener's event).
    private readonly TakenRows taken = new();
    private readonly List<string> notified = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        NpgsqlConnection? listener = null;
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                listener ??= await ListenAsync(stoppingToken);
                notified.Clear();
                var pass = await DispatchDueAsync(stoppingToken);
                failures = 0;
                if (pass.Taken == settings.BatchSize && pass.Sent > 0)
                {
                    continue;
                }

                // Woken only by commits whose rows a pass already took: nothing new, wait on (till the same due time).
                while (await listener.WaitAsync(WaitTime(pass.NextDueAt, settings.PollInterval, clock.GetUtcNow().UtcDateTime), stoppingToken)
                    && taken.CoverAll(notified))
                {
                    notified.Clear();
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                // Stopping: the rows stay for the next start or another instance; not a failure to log.
                break;
            }
            catch (Exception exception)
            {
                // Database away: the rows are safe where they are; listen again once it is back.
                failures++;
                if (HcsLicensing.ServiceDefaults.Messaging.Outages.IsOutage(exception))
                {
                    // An outage is one line, as in RecurringWork, not a stack trace every few seconds.
                    logger.LogWarning("Outbox dispatch waits: the database is unreachable ({Error}); {Failures} in a row", exception.GetBaseException().Message, failures);
                }
                else
                {
                    logger.LogWarning(exception, "Outbox dispatch failed ({Failures} in a row); trying again shortly", failures);
                }
                await DisposeAsync(listener);
                listener = null;
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(200 * Math.Pow(2, failures), 5_000)), clock, stoppingToken)
                    .ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }

        await DisposeAsync(listener);
    }

    /// <summary>Sends one batch of due messages; what was taken, what was sent and when the next pending one falls due.</summary>
    public async Task<DispatchPass> DispatchDueAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var due = await db.Set<OutboxMessage>()
            .FromSql($"SELECT * FROM outbox_messages WHERE NOT cancelled AND dead_at IS NULL AND due_at <= {now} ORDER BY sequence_number LIMIT {settings.BatchSize} FOR UPDATE SKIP LOCKED")
            .ToListAsync(cancellationToken);
        taken.Add(due.Select(row => row.SequenceNumber));
        var failed = new List<(OutboxMessage Row, Exception Error)>();
        var sent = new List<long>();
        // In order within a conversation (a job's step change and its end reach JobTracker as they were decided, even
        // though they go to different exchanges), conversations side by side.
        await Task.WhenAll(due.GroupBy(row => row.ConversationId ?? Guid.Empty).Select(async rows =>
        {
            foreach (var row in rows)
            {
                try
                {
                    await SendAsync(row, cancellationToken);
                    lock (sent)
                    {
                        sent.Add(row.SequenceNumber);
                    }

                    Lag.Record(Math.Max(0, (clock.GetUtcNow().UtcDateTime - row.DueAt).TotalSeconds));
                }
                catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
                {
                    lock (failed)
                    {
                        failed.Add((row, exception));
                    }

                    break;
                }
            }
        }));

        ReportLate(due, sent, now);
        if (logger.IsEnabled(LogLevel.Debug))
        {
            logger.LogDebug("Outbox pass: {Taken} due, {Sent} sent, {Failed} failed in {Elapsed:0} ms", due.Count, sent.Count, failed.Count, (clock.GetUtcNow().UtcDateTime - now).TotalMilliseconds);
        }

        SetBack(failed, brokerAway: failed.Count > 0 && bus.CheckHealth().Status != BusHealthStatus.Healthy, now);
        await db.SaveChangesAsync(cancellationToken);
        var nextDueAt = await DeleteSentAndFindNextDueAsync(db, sent, cancellationToken);
        await transaction.CommitAsync(CancellationToken.None);
        return new DispatchPass(due.Count, sent.Count, nextDueAt);
    }

    /// <summary>
    /// A row that failed while the broker is reachable is counted, retried later and set aside at the limit; while the
    /// broker is away nothing is counted (an outage is waited out, however long): the row is tried again a poll later.
    /// </summary>
    private void SetBack(List<(OutboxMessage Row, Exception Error)> failed, bool brokerAway, DateTime now)
    {
        foreach (var (row, error) in failed)
        {
            row.LastError = $"{error.GetType().Name}: {error.Message}";
            if (brokerAway)
            {
                row.DueAt = now + options.Value.PollInterval;
                continue;
            }

            row.Attempts++;
            if (row.Attempts >= options.Value.MaxAttempts)
            {
                row.DeadAt = now;
                logger.LogError(error, "Outbox message {MessageId} to {Destination} could not be sent after {Attempts} attempts; set aside", row.MessageId, row.Destination, row.Attempts);
            }
            else
            {
                row.DueAt = now + TimeSpan.FromMilliseconds(Math.Min(100 * Math.Pow(2, row.Attempts), 30_000));
                logger.LogWarning(error, "Outbox message {MessageId} to {Destination} failed (attempt {Attempts}); trying again later", row.MessageId, row.Destination, row.Attempts);
            }
        }
    }

    /// <summary>
    /// Deletes the rows sent and reads when the next pending row falls due, in one statement of the pass's transaction:
    /// one round trip and one commit per pass, where a separate query after the commit took two (about 20 of a job's 89
    /// commits). A data-modifying WITH runs once whether or not it is read; the SELECT sees the table as it was before
    /// the delete, so the rows sent are left out by hand.
    /// </summary>
    private static async Task<DateTime?> DeleteSentAndFindNextDueAsync(TDbContext db, List<long> sent, CancellationToken cancellationToken)
    {
        var ids = sent.ToArray();
        var next = await db.Database.SqlQuery<DateTime?>(
            $"""
            WITH sent AS (DELETE FROM outbox_messages WHERE sequence_number = ANY({ids}))
            SELECT min(due_at) AS "Value" FROM outbox_messages WHERE NOT cancelled AND dead_at IS NULL AND sequence_number <> ALL({ids})
            """).ToListAsync(cancellationToken);
        return next[0];
    }

    /// <summary>One line per pass that sent messages long overdue, naming the oldest: what an on-call engineer needs to see that work is late.</summary>
    private void ReportLate(List<OutboxMessage> due, List<long> sent, DateTime passStartedAt)
    {
        // Every pass comes here: nothing is allocated unless something was late.
        if (!due.Exists(row => passStartedAt - row.DueAt > LateAfter))
        {
            return;
        }

        var late = due.Where(row => passStartedAt - row.DueAt > LateAfter && sent.Contains(row.SequenceNumber)).ToList();
        if (late.Count > 0)
        {
            var oldest = late.MinBy(row => row.DueAt)!;
            logger.LogWarning(
                "Outbox: {Late} of {Taken} messages were sent more than {LateAfter} s after they fell due; the oldest, {MessageId} to {Destination}, {Lag:0.0} s late (attempts {Attempts})",
                late.Count, due.Count, LateAfter.TotalSeconds, oldest.MessageId, oldest.Destination, (passStartedAt - oldest.DueAt).TotalSeconds, oldest.Attempts);
        }
    }

    private async Task SendAsync(OutboxMessage row, CancellationToken cancellationToken)
    {
        using var activity = Source.StartActivity("outbox deliver", ActivityKind.Internal, row.TraceParent);
        activity?.SetTag("messaging.destination.name", row.Destination);
        activity?.SetTag("messaging.message.id", row.MessageId);
        var destination = new Uri(row.Destination);
        // Bounded, as MassTransit bounds its own outbox's deliveries: a send that never completes (a confirm that never
        // comes, a channel being re-created) must fail this row for a later pass, not hold the whole dispatcher.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.SendTimeout);
        // GetSendEndpoint takes no token and may wait for a channel: bounded by the same timeout.
        var endpoint = await bus.GetSendEndpoint(destination).WaitAsync(timeout.Token);
        await endpoint.Send(new MassTransit.Serialization.SerializedMessageBody(), new OutboxMessageSendPipe(row, destination), timeout.Token);
    }

    /// <summary>
    /// How long to wait for a notification: until the next row falls due, at most a poll interval, and never under 1 ms.
    /// Npgsql's WaitAsync takes whole milliseconds and reads 0 as "no time-out": a row due in 0.4 ms once left the
    /// dispatcher asleep until some other commit happened to notify it (a registration's poll 35 s late).
    /// </summary>
    internal static TimeSpan WaitTime(DateTime? nextDueAt, TimeSpan pollInterval, DateTime now)
    {
        var wait = nextDueAt is { } dueAt && dueAt - now < pollInterval ? dueAt - now : pollInterval;
        return wait < MinimumWait ? MinimumWait : TimeSpan.FromMilliseconds(Math.Ceiling(wait.TotalMilliseconds));
    }

    private async Task<NpgsqlConnection> ListenAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var connectionString = scope.ServiceProvider.GetRequiredService<TDbContext>().Database.GetConnectionString();
        // Its own connection, never pooled: a LISTEN is session state no other use of the connection should inherit.
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        // Raised within WaitAsync, on the dispatcher's own loop: no lock needed.
        connection.Notification += (_, notification) => notified.Add(notification.Payload);
        await connection.OpenAsync(cancellationToken);
        await using var listen = new NpgsqlCommand($"LISTEN {OutboxModel.Channel}", connection);
        await listen.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    private static async Task DisposeAsync(NpgsqlConnection? connection)
    {
        if (connection is not null)
        {
            await connection.DisposeAsync();
        }
    }
}

/// <summary>One dispatcher pass: rows taken, rows sent, and when the next pending row falls due (null: none pending).</summary>
public readonly record struct DispatchPass(int Taken, int Sent, DateTime? NextDueAt);
