using System.Data;
using MassTransit;
using MassTransit.Middleware;
using Microsoft.EntityFrameworkCore;

namespace HcsLicensing.ServiceDefaults.Outbox;

/// <summary>
/// MassTransit's outbox extension point, on the service's own PostgreSQL database: each message is consumed in one
/// ReadCommitted transaction that records it in the inbox, runs the consumer or saga (their DbContext is this one, from
/// the same scope), and saves what they changed with what they sent. So either all of it happened or none: a crash
/// before the commit redelivers the message to a clean slate, a crash after it finds the message in the inbox and
/// acknowledges it, and nothing leaves for the broker before the commit. One transaction per message, where
/// MassTransit's EF outbox takes several.
/// </summary>
public sealed class TransactionalOutboxContextFactory<TDbContext>(TDbContext db, IServiceProvider provider, TimeProvider clock, TransactionEnd end) : IOutboxContextFactory<TDbContext>
    where TDbContext : DbContext
{
    public async Task Send<T>(ConsumeContext<T> context, OutboxConsumeOptions options, IPipe<OutboxConsumeContext<T>> next)
        where T : class
    {
        var cancellationToken = context.CancellationToken;
        db.ChangeTracker.Clear();
        end.Begin();
        try
        {
            // No savepoint around each SaveChanges (EF's default inside a transaction): two more round trips per save, and
            // nothing here carries on after a failed save; the message's whole transaction rolls back and is retried.
            db.Database.AutoSavepointsEnabled = false;
            await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
            var consumed = !await ReceiveAsync(context.MessageId, options.ConsumerId, cancellationToken);
            await next.Send(new TransactionalConsumeContext<T>(context, options, provider, db, clock, consumed));
            // Not cancellable: once the consumer has run, its outcome is recorded or rolled back, not left to chance.
            await transaction.CommitAsync(CancellationToken.None);
            end.Committed();
        }
        finally
        {
            end.Release();
            db.Database.AutoSavepointsEnabled = true; // the pooled context goes back as EF made it
        }
    }

    public void Probe(ProbeContext context) => context.Add("provider", "postgresql-transactional-outbox");

    /// <summary>
    /// Records the message in the inbox; false if it was already there (consumed and committed before). A second
    /// delivery racing the first waits on the row's key until the first commits or rolls back. A message without an id
    /// (plain JSON from a publisher that set none) cannot be recognised again and is always consumed.
    /// </summary>
    private async Task<bool> ReceiveAsync(Guid? messageId, Guid consumerId, CancellationToken cancellationToken)
    {
        if (messageId is not { } id)
        {
            return true;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var inserted = await db.Database.ExecuteSqlAsync(
            $"INSERT INTO inbox_messages (message_id, consumer_id, received_at) VALUES ({id}, {consumerId}, {now}) ON CONFLICT DO NOTHING",
            cancellationToken);
        return inserted == 1;
    }
}
