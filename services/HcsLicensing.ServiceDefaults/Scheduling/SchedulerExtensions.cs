using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace HcsLicensing.ServiceDefaults.Scheduling;

/// <summary>Registration of the durable scheduler; services get it through AddServiceBus&lt;TDbContext&gt; with a scheduler queue.</summary>
public static class SchedulerExtensions
{
    /// <summary>The consumer of ScheduleMessage / CancelScheduledMessage on the queue <paramref name="queue"/> (named in full: the endpoint prefix is not added).</summary>
    public static IBusRegistrationConfigurator AddDurableScheduler<TDbContext>(this IBusRegistrationConfigurator bus, string queue)
        where TDbContext : DbContext
    {
        bus.AddConsumer<ScheduleMessageConsumer<TDbContext>>().Endpoint(endpoint => endpoint.Name = queue);
        return bus;
    }
}
