using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HcsLicensing.ServiceDefaults.Scheduling;

/// <summary>Registration of the durable scheduler; services get it through AddServiceBus&lt;TDbContext&gt;.</summary>
public static class SchedulerExtensions
{
    /// <summary>The consumer of ScheduleMessage / CancelScheduledMessage on the queue <paramref name="queue"/> (named in full: the endpoint prefix is not added).</summary>
    public static IBusRegistrationConfigurator AddDurableScheduler<TDbContext>(this IBusRegistrationConfigurator bus, string queue)
        where TDbContext : DbContext
    {
        bus.AddConsumer<ScheduleMessageConsumer<TDbContext>>().Endpoint(endpoint => endpoint.Name = queue);
        return bus;
    }

    /// <summary>The background sender of due messages (register after AddMassTransit: it sends through the started bus).</summary>
    public static IServiceCollection AddDurableSchedulerDispatcher<TDbContext>(this IServiceCollection services, IConfiguration configuration)
        where TDbContext : DbContext
    {
        services.Configure<SchedulerOptions>(configuration.GetSection(SchedulerOptions.Section));
        services.TryAddSingleton(TimeProvider.System);
        services.AddHostedService<ScheduledMessageDispatcher<TDbContext>>();
        return services;
    }
}
