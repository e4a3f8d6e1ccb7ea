using MassTransit;
using MassTransit.Configuration;
using MassTransit.Middleware;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using HcsLicensing.ServiceDefaults.Retention;

namespace HcsLicensing.ServiceDefaults.Outbox;

/// <summary>Registration of the transactional outbox and inbox; services get it through AddServiceBus&lt;TDbContext&gt;.</summary>
public static class OutboxExtensions
{
    /// <summary>The outbox's context factory, the outbox for code outside consumers, and the dispatcher (after AddMassTransit: it sends through the started bus).</summary>
    public static IServiceCollection AddTransactionalOutbox<TDbContext>(this IServiceCollection services, IConfiguration configuration)
        where TDbContext : DbContext
    {
        services.Configure<OutboxOptions>(configuration.GetSection(OutboxOptions.Section));
        services.TryAddSingleton(TimeProvider.System);
        services.AddScoped<IOutboxContextFactory<TDbContext>, TransactionalOutboxContextFactory<TDbContext>>();
        services.TryAddScoped<TransactionEnd>();
        services.AddScoped<TransactionalOutbox<TDbContext>>();
        services.AddHostedService<OutboxDispatcher<TDbContext>>();
        services.AddRetention<TDbContext>(configuration, OutboxRetention.Rules);
        return services;
    }

    /// <summary>
    /// Puts every consumer and saga of the endpoint under the outbox: MassTransit's own outbox filter
    /// (<see cref="OutboxConsumePipeSpecificationObserver{TContext}"/>) with our factory behind it. Configure the
    /// endpoint's retry before this, so that each attempt is a fresh transaction.
    /// </summary>
    public static void UseTransactionalOutbox<TDbContext>(this IReceiveEndpointConfigurator endpoint, IRegistrationContext context)
        where TDbContext : DbContext
    {
        var observer = new ExemptionAwareObserver<TDbContext>(new OutboxConsumePipeSpecificationObserver<TDbContext>(endpoint, context));
        endpoint.ConnectConsumerConfigurationObserver(observer);
        endpoint.ConnectSagaConfigurationObserver(observer);
    }

    /// <summary>MassTransit's outbox observer, except for consumers marked <see cref="OwnTransactionsAttribute"/>.</summary>
    private sealed class ExemptionAwareObserver<TDbContext>(OutboxConsumePipeSpecificationObserver<TDbContext> inner) : IConsumerConfigurationObserver, ISagaConfigurationObserver
        where TDbContext : DbContext
    {
        public void ConsumerConfigured<TConsumer>(IConsumerConfigurator<TConsumer> configurator)
            where TConsumer : class
        {
        }

        public void ConsumerMessageConfigured<TConsumer, TMessage>(IConsumerMessageConfigurator<TConsumer, TMessage> configurator)
            where TConsumer : class
            where TMessage : class
        {
            if (!Attribute.IsDefined(typeof(TConsumer), typeof(OwnTransactionsAttribute)))
            {
                inner.ConsumerMessageConfigured(configurator);
            }
        }

        public void SagaConfigured<TSaga>(ISagaConfigurator<TSaga> configurator)
            where TSaga : class, ISaga
        {
        }

        public void StateMachineSagaConfigured<TInstance>(ISagaConfigurator<TInstance> configurator, SagaStateMachine<TInstance> stateMachine)
            where TInstance : class, ISaga, SagaStateMachineInstance
        {
        }

        public void SagaMessageConfigured<TSaga, TMessage>(ISagaMessageConfigurator<TSaga, TMessage> configurator)
            where TSaga : class, ISaga
            where TMessage : class => inner.SagaMessageConfigured(configurator);
    }
}

/// <summary>
/// Keeps a consumer out of the message-wide transaction of the transactional outbox: for a long-running job whose own
/// rows must be visible while it runs (a claim other instances read, heartbeats). Such a consumer makes its own units
/// of work atomic and sends their messages through <see cref="TransactionalOutbox{TDbContext}"/> within them.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class OwnTransactionsAttribute(string why) : Attribute
{
    public string Why { get; } = why;
}
