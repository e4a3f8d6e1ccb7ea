using MassTransit;
using MassTransit.Context;
using MassTransit.Saga;
using Microsoft.EntityFrameworkCore;

namespace HcsLicensing.ServiceDefaults.Sagas;

/// <summary>
/// What MassTransit's saga pipe calls for one message: load, add or insert the instance, then save, update,
/// delete or discard it, all on the message's DbContext; the factory commits or rolls back what it opened.
/// </summary>
internal sealed class SagaRepositoryContext<TSaga, TMessage, TDbContext> :
    ConsumeContextScope<TMessage>,
    SagaRepositoryContext<TSaga, TMessage>
    where TSaga : class, ISaga
    where TMessage : class
    where TDbContext : DbContext
{
    private readonly TDbContext db;
    private readonly ConsumeContext<TMessage> message;
    private readonly ISagaConsumeContextFactory<TDbContext, TSaga> factory;
    private readonly SagaInstanceLocks<TSaga>.SagaInstanceLock instanceLock;

    public SagaRepositoryContext(TDbContext db, ConsumeContext<TMessage> message, ISagaConsumeContextFactory<TDbContext, TSaga> factory, SagaInstanceLocks<TSaga>.SagaInstanceLock instanceLock)
        : base(message)
    {
        this.db = db;
        this.message = message;
        this.factory = factory;
        this.instanceLock = instanceLock;
    }

    private DbSet<TSaga> Sagas => db.Set<TSaga>();

    public Task<SagaConsumeContext<TSaga, TMessage>> Add(TSaga instance) =>
        factory.CreateSagaConsumeContext(db, message, instance, SagaConsumeContextMode.Add);

    public async Task<SagaConsumeContext<TSaga, TMessage>> Insert(TSaga instance)
    {
        // A failed INSERT aborts a PostgreSQL transaction; the savepoint keeps it usable for the Load that follows.
        await instanceLock.AcquireAsync(instance.CorrelationId, CancellationToken);
        var transaction = db.Database.CurrentTransaction
            ?? await db.Database.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, CancellationToken);
        await transaction.CreateSavepointAsync("saga_insert", CancellationToken);
        Sagas.Add(instance);
        try
        {
            await db.SaveChangesAsync(CancellationToken);
        }
        catch (DbUpdateException exception) when (SagaConflicts.IsConflict(exception))
        {
            db.Entry(instance).State = EntityState.Detached;
            await transaction.RollbackToSavepointAsync("saga_insert", CancellationToken);
            return null!;
        }

        return await factory.CreateSagaConsumeContext(db, message, instance, SagaConsumeContextMode.Insert);
    }

    public async Task<SagaConsumeContext<TSaga, TMessage>> Load(Guid correlationId)
    {
        await instanceLock.AcquireAsync(correlationId, CancellationToken);
        var instance = await Sagas.SingleOrDefaultAsync(saga => saga.CorrelationId == correlationId, CancellationToken);
        return instance is null
            ? null!
            : await factory.CreateSagaConsumeContext(db, message, instance, SagaConsumeContextMode.Load);
    }

    public async Task Save(SagaConsumeContext<TSaga> context)
    {
        Sagas.Add(context.Saga);
        await db.SaveChangesAsync(CancellationToken);
    }

    public Task Update(SagaConsumeContext<TSaga> context) => db.SaveChangesAsync(CancellationToken);

    public async Task Delete(SagaConsumeContext<TSaga> context)
    {
        Sagas.Remove(context.Saga);
        await db.SaveChangesAsync(CancellationToken);
    }

    /// <summary>An added instance that completed at once, or whose behaviour threw, is never written.</summary>
    public Task Discard(SagaConsumeContext<TSaga> context)
    {
        var entry = db.Entry(context.Saga);
        if (entry.State == EntityState.Added)
        {
            entry.State = EntityState.Detached;
        }

        return Task.CompletedTask;
    }

    public async Task Undo(SagaConsumeContext<TSaga> context)
    {
        var entry = db.Entry(context.Saga);
        if (entry.State is EntityState.Modified or EntityState.Deleted)
        {
            await entry.ReloadAsync(CancellationToken);
        }
    }

    public Task<SagaConsumeContext<TSaga, T>> CreateSagaConsumeContext<T>(ConsumeContext<T> consumeContext, TSaga instance, SagaConsumeContextMode mode)
        where T : class =>
        factory.CreateSagaConsumeContext(db, consumeContext, instance, mode);
}
