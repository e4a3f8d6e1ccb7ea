using MassTransit;
using MassTransit.Saga;
using Microsoft.EntityFrameworkCore;

namespace HcsLicensing.ServiceDefaults.Sagas;

/// <summary>
/// MassTransit's entry into the PostgreSQL saga repository: one DbContext (from the message's DI scope) per
/// message; statements run at ReadCommitted, in one transaction when the message inserts up front. Conflicts are not retried here: they are rolled back and
/// rethrown as <see cref="ConcurrencyException"/> for the endpoint's retry policy to run the message again
/// on a fresh scope.
/// </summary>
public sealed class SagaRepositoryContextFactory<TSaga, TDbContext>(
    TDbContext db,
    ISagaConsumeContextFactory<TDbContext, TSaga> consumeContextFactory,
    SagaInstanceLocks<TSaga> locks) :
    ISagaRepositoryContextFactory<TSaga>,
    IQuerySagaRepositoryContextFactory<TSaga>,
    ILoadSagaRepositoryContextFactory<TSaga>
    where TSaga : class, ISaga
    where TDbContext : DbContext
{
    public async Task Send<T>(ConsumeContext<T> context, IPipe<SagaRepositoryContext<TSaga, T>> next)
        where T : class
    {
        // Held until this message's changes are committed, so the next message for the instance reads them.
        using var instanceLock = locks.ForMessage();
        await Settle(context, async () =>
        {
            var repositoryContext = new SagaRepositoryContext<TSaga, T, TDbContext>(db, context, consumeContextFactory, instanceLock);
            await next.Send(repositoryContext);
        });
    }

    public async Task SendQuery<T>(ConsumeContext<T> context, ISagaQuery<TSaga> query, IPipe<SagaRepositoryQueryContext<TSaga, T>> next)
        where T : class
    {
        using var instanceLock = locks.ForMessage();
        await Settle(context, async () =>
        {
            // A query event may update several instances: all of them or none.
            await db.Database.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, context.CancellationToken);
            var ids = await db.Set<TSaga>().AsNoTracking().Where(query.FilterExpression).Select(saga => saga.CorrelationId).ToListAsync(context.CancellationToken);
            var repositoryContext = new SagaRepositoryContext<TSaga, T, TDbContext>(db, context, consumeContextFactory, instanceLock);
            await next.Send(new DefaultSagaRepositoryQueryContext<TSaga, T>(repositoryContext, ids));
        });
    }

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
        try
        {
            await work();
            if (db.Database.CurrentTransaction is { } transaction)
            {
                await transaction.CommitAsync(context.CancellationToken);
            }
        }
        catch (Exception exception) when (SagaConflicts.IsConflict(exception))
        {
            await RollBack();
            throw new ConcurrencyException(
                $"{typeof(TSaga).Name} changed or was created by another message meanwhile; the message will be retried",
                typeof(TSaga),
                context.CorrelationId ?? Guid.Empty,
                exception);
        }
        catch
        {
            await RollBack();
            throw;
        }
    }

    private async Task RollBack()
    {
        if (db.Database.CurrentTransaction is { } transaction)
        {
            await transaction.RollbackAsync(CancellationToken.None);
        }
    }
}
