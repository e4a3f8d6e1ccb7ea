using MassTransit;
using MassTransit.Saga;
using Microsoft.EntityFrameworkCore;

namespace HcsLicensing.ServiceDefaults.Sagas;

/// <summary>
/// MassTransit's entry into the PostgreSQL saga repository: one DbContext (from the message's DI scope) per
/// message. Under the transactional outbox (every service endpoint) the message's transaction is already open and
/// belongs to the outbox, which commits the saga's changes with its inbox and outgoing rows; outside it, statements run at
/// ReadCommitted, in a transaction of the repository's own when the message inserts up front or queries several
/// instances. Conflicts are not retried here: they are rethrown as <see cref="ConcurrencyException"/> for the endpoint's
/// retry policy to run the message again on a fresh scope.
/// </summary>
public sealed class SagaRepositoryContextFactory<TSaga, TDbContext>(
    TDbContext db,
    ISagaConsumeContextFactory<TDbContext, TSaga> consumeContextFactory,
    SagaInstanceLocks<TSaga> locks,
    HcsLicensing.ServiceDefaults.Outbox.TransactionEnd? transactionEnd = null) :
    ISagaRepositoryContextFactory<TSaga>,
    IQuerySagaRepositoryContextFactory<TSaga>,
    ILoadSagaRepositoryContextFactory<TSaga>
    where TSaga : class, ISaga
    where TDbContext : DbContext
{
    public Task Send<T>(ConsumeContext<T> context, IPipe<SagaRepositoryContext<TSaga, T>> next)
        where T : class =>
        Locked(instanceLock => Settle(context, async () =>
        {
            var repositoryContext = new SagaRepositoryContext<TSaga, T, TDbContext>(db, context, consumeContextFactory, instanceLock);
            await next.Send(repositoryContext);
        }));

    public Task SendQuery<T>(ConsumeContext<T> context, ISagaQuery<TSaga> query, IPipe<SagaRepositoryQueryContext<TSaga, T>> next)
        where T : class =>
        Locked(instanceLock => Settle(context, async () =>
        {
            // A query event may update several instances: all of them or none.
            if (db.Database.CurrentTransaction is null)
            {
                await db.Database.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, context.CancellationToken);
            }

            var ids = await db.Set<TSaga>().AsNoTracking().Where(query.FilterExpression).Select(saga => saga.CorrelationId).ToListAsync(context.CancellationToken);
            var repositoryContext = new SagaRepositoryContext<TSaga, T, TDbContext>(db, context, consumeContextFactory, instanceLock);
            await next.Send(new DefaultSagaRepositoryQueryContext<TSaga, T>(repositoryContext, ids));
        }));

    public Task<T> Execute<T>(Func<QuerySagaRepositoryContext<TSaga>, Task<T>> asyncMethod, CancellationToken cancellationToken = default)
        where T : class =>
        asyncMethod(new SagaReadContext<TSaga>(db, cancellationToken));

    public Task<T> Execute<T>(Func<LoadSagaRepositoryContext<TSaga>, Task<T>> asyncMethod, CancellationToken cancellationToken = default)
        where T : class =>
        asyncMethod(new SagaReadContext<TSaga>(db, cancellationToken));

    public void Probe(ProbeContext context)
    {
        context.Add("persistence", "postgresql");
        context.Add("entities", typeof(TSaga).Name);
    }

    /// <summary>
    /// Runs the message's work and settles the outcome. Loading and then updating with the xmin check needs no
    /// transaction (each statement commits on its own and a stale update fails); only an Insert-on-initial opens
    /// one, so that a behaviour failing after the insert leaves no instance behind.
    /// </summary>
    private async Task Settle(ConsumeContext context, Func<Task> work)
    {
        // A transaction open before the message's work is the outbox's: it commits or rolls back, not this repository.
        var outer = db.Database.CurrentTransaction;
        try
        {
            await work();
            if (db.Database.CurrentTransaction is { } transaction && transaction != outer)
            {
                await transaction.CommitAsync(context.CancellationToken);
            }
        }
        catch (Exception exception) when (SagaConflicts.IsConflict(exception))
        {
            await RollBack(outer);
            throw new ConcurrencyException(
                $"{typeof(TSaga).Name} changed or was created by another message meanwhile; the message will be retried",
                typeof(TSaga),
                context.CorrelationId ?? Guid.Empty,
                exception);
        }
        catch
        {
            await RollBack(outer);
            throw;
        }
    }

    /// <summary>
    /// Runs the message's work holding its instance lock until its changes are committed, so the next message for the
    /// instance reads them: to the outbox's transaction end when the outbox owns the transaction, else to the end here.
    /// </summary>
    private async Task Locked(Func<SagaInstanceLocks<TSaga>.SagaInstanceLock, Task> work)
    {
        var instanceLock = locks.ForMessage();
        var outboxCommits = db.Database.CurrentTransaction is not null && transactionEnd is not null;
        if (outboxCommits)
        {
            transactionEnd!.HoldUntilEnd(instanceLock);
        }

        try
        {
            await work(instanceLock);
        }
        finally
        {
            if (!outboxCommits)
            {
                instanceLock.Dispose();
            }
        }
    }

    private async Task RollBack(Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction? outer)
    {
        if (db.Database.CurrentTransaction is { } transaction && transaction != outer)
        {
            await transaction.RollbackAsync(CancellationToken.None);
        }
    }
}
