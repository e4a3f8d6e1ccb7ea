using System.Data;
using MassTransit;
using MassTransit.Saga;
using Microsoft.EntityFrameworkCore;

namespace HcsLicensing.ServiceDefaults.Sagas;

/// <summary>
/// MassTransit's entry into the PostgreSQL saga repository: one DbContext (from the message's DI scope) and
/// one ReadCommitted transaction per message. Conflicts are not retried here: they are rolled back and
/// rethrown as <see cref="ConcurrencyException"/> for the endpoint's retry policy to run the message again
/// on a fresh scope.
/// </summary>
public sealed class SagaRepositoryContextFactory<TSaga, TDbContext>(TDbContext db, ISagaConsumeContextFactory<TDbContext, TSaga> consumeContextFactory) :
    ISagaRepositoryContextFactory<TSaga>,
    IQuerySagaRepositoryContextFactory<TSaga>,
    ILoadSagaRepositoryContextFactory<TSaga>
    where TSaga : class, ISaga
    where TDbContext : DbContext
{
    public async Task Send<T>(ConsumeContext<T> context, IPipe<SagaRepositoryContext<TSaga, T>> next)
        where T : class
    {
        // Held until the transaction has ended, so the next message for the instance reads what this one wrote.
        using var instanceLock = new SagaInstanceLock<TSaga>();
        await InTransaction(context, async () =>
        {
            var repositoryContext = new SagaRepositoryContext<TSaga, T, TDbContext>(db, context, consumeContextFactory, instanceLock);
            await next.Send(repositoryContext);
        });
    }

    public async Task SendQuery<T>(ConsumeContext<T> context, ISagaQuery<TSaga> query, IPipe<SagaRepositoryQueryContext<TSaga, T>> next)
        where T : class
    {
        using var instanceLock = new SagaInstanceLock<TSaga>();
        await InTransaction(context, async () =>
        {
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

    private async Task InTransaction(ConsumeContext context, Func<Task> work)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.ReadCommitted, context.CancellationToken);
        try
        {
            await work();
            await transaction.CommitAsync(context.CancellationToken);
        }
        catch (Exception exception) when (SagaConflicts.IsConflict(exception))
        {
            await transaction.RollbackAsync(CancellationToken.None);
            throw new ConcurrencyException(
                $"{typeof(TSaga).Name} changed or was created by another message meanwhile; the message will be retried",
                typeof(TSaga),
                context.CorrelationId ?? Guid.Empty,
                exception);
        }
        catch
        {
            await transaction.RollbackAsync(CancellationToken.None);
            throw;
        }
    }
}
