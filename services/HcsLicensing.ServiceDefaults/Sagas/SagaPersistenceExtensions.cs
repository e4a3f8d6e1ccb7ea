using MassTransit;
using MassTransit.Configuration;
using MassTransit.Saga;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HcsLicensing.ServiceDefaults.Sagas;

/// <summary>How a service puts its sagas into its PostgreSQL database.</summary>
public static class SagaPersistenceExtensions
{
    /// <summary>The shadow property mapped to PostgreSQL's xmin system column, the optimistic concurrency token.</summary>
    public const string RowVersion = "RowVersion";

    /// <summary>Keeps this saga's instances in <typeparamref name="TDbContext"/>'s database.</summary>
    public static ISagaRegistrationConfigurator<TSaga> PostgresRepository<TSaga, TDbContext>(this ISagaRegistrationConfigurator<TSaga> configurator)
        where TSaga : class, ISaga
        where TDbContext : DbContext
    {
        configurator.Repository(repository =>
        {
            repository.TryAddSingleton<SagaInstanceLocks<TSaga>>();
            repository.RegisterSagaRepository<TSaga, TDbContext, SagaConsumeContextFactory<TDbContext, TSaga>, SagaRepositoryContextFactory<TSaga, TDbContext>>();
            repository.RegisterQuerySagaRepository<TSaga, SagaRepositoryContextFactory<TSaga, TDbContext>>();
            repository.RegisterLoadSagaRepository<TSaga, SagaRepositoryContextFactory<TSaga, TDbContext>>();
        });
        return configurator;
    }

    /// <summary>
    /// Maps a saga instance to <paramref name="table"/>: keyed by its correlation id (set by the message, never by
    /// the database) and versioned by xmin, so that a stale update fails instead of overwriting a newer one.
    /// </summary>
    public static EntityTypeBuilder<TSaga> MapSaga<TSaga>(this ModelBuilder modelBuilder, string table)
        where TSaga : class, ISaga
    {
        var entity = modelBuilder.Entity<TSaga>();
        entity.ToTable(table);
        entity.HasKey(saga => saga.CorrelationId);
        entity.Property(saga => saga.CorrelationId).ValueGeneratedNever();
        entity.Property<uint>(RowVersion).IsRowVersion();
        return entity;
    }
}
