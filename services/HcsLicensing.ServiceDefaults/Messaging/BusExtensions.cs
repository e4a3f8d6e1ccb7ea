using System.Text.Json;
using System.Text.Json.Serialization;
using HcsLicensing.ServiceDefaults.Scheduling;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace HcsLicensing.ServiceDefaults.Messaging;

/// <summary>MassTransit on RabbitMQ with the suite's defaults on every receive endpoint.</summary>
public static class BusExtensions
{
    /// <summary>The connection string naming the broker, e.g. amqp://guest:guest@localhost:5672/.</summary>
    public const string ConnectionStringName = "RabbitMq";

    /// <summary>
    /// The bus of a service: RabbitMQ from ConnectionStrings:RabbitMq, kebab-case endpoint names, and on every
    /// endpoint exponential retry with jitter (saga conflicts are settled there) around an in-memory outbox
    /// (nothing a failed attempt published leaves the process). <paramref name="configure"/> adds the
    /// service's consumers and sagas.
    /// </summary>
    public static IHostApplicationBuilder AddServiceBus(this IHostApplicationBuilder builder, Action<IBusRegistrationConfigurator> configure) =>
        builder.AddServiceBus(configure, scheduler: null);

    /// <summary>
    /// As <see cref="AddServiceBus(IHostApplicationBuilder, Action{IBusRegistrationConfigurator})"/>, plus the durable
    /// scheduler on <typeparamref name="TDbContext"/>'s database: saga Schedule() and Request timeouts of this service go
    /// to the queue <paramref name="schedulerQueue"/>, are kept in PostgreSQL and sent when due, across restarts.
    /// </summary>
    public static IHostApplicationBuilder AddServiceBus<TDbContext>(this IHostApplicationBuilder builder, string schedulerQueue, Action<IBusRegistrationConfigurator> configure)
        where TDbContext : DbContext
    {
        builder.AddServiceBus(configure, (schedulerQueue, (bus, queue) => bus.AddDurableScheduler<TDbContext>(queue)));
        builder.Services.AddDurableSchedulerDispatcher<TDbContext>(builder.Configuration);
        return builder;
    }

    private static IHostApplicationBuilder AddServiceBus(
        this IHostApplicationBuilder builder,
        Action<IBusRegistrationConfigurator> configure,
        (string Queue, Action<IBusRegistrationConfigurator, string> Register)? scheduler)
    {
        var connectionString = builder.Configuration.GetConnectionString(ConnectionStringName)
            ?? throw new InvalidOperationException($"ConnectionStrings:{ConnectionStringName} is not configured.");
        var options = builder.Configuration.GetSection(BusOptions.Section).Get<BusOptions>() ?? new BusOptions();
        var schedulerQueue = scheduler is null ? null : $"{options.EndpointPrefix}{scheduler.Value.Queue}";
        var schedulerAddress = schedulerQueue is null ? null : new Uri($"queue:{schedulerQueue}");

        builder.Services.AddSingleton(EndpointAddresses.From(builder.Configuration));
        builder.Services.Configure<MassTransitHostOptions>(host =>
        {
            // Start consuming only once the broker is reached, and let in-flight messages finish on shutdown.
            host.WaitUntilStarted = true;
            host.StopTimeout = TimeSpan.FromSeconds(30);
        });
        builder.Services.AddMassTransit(bus =>
        {
            bus.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(options.EndpointPrefix, includeNamespace: false));
            if (scheduler is not null && schedulerQueue is not null && schedulerAddress is not null)
            {
                scheduler.Value.Register(bus, schedulerQueue);
                bus.AddMessageScheduler(schedulerAddress);
            }

            bus.AddConfigureEndpointsCallback((context, _, endpoint) =>
            {
                endpoint.ConcurrentMessageLimit = options.ConcurrentMessageLimit;
                if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
                {
                    rabbit.PrefetchCount = options.PrefetchCount;
                }

                endpoint.UseMessageRetry(retry =>
                {
                    retry.Exponential(options.RetryLimit, options.RetryMinInterval, options.RetryMaxInterval, options.RetryMinInterval);
                    // A body that cannot be read (e.g. plain JSON missing a required field) reads no better later:
                    // straight to the _error queue, with the reason in its MT-Fault-Message header.
                    retry.Ignore<JsonException>();
                });
                endpoint.UseInMemoryOutbox(context);
            });

            configure(bus);

            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.Host(new Uri(connectionString));
                // Enum values travel as their names ("Inprogress", not 1): readable in the broker's UI and for
                // publishers that are not .NET. Numbers are still accepted. The options are process-wide, hence the guard.
                rabbit.ConfigureJsonSerializerOptions(json =>
                {
                    if (!json.Converters.OfType<JsonStringEnumConverter>().Any())
                    {
                        json.Converters.Add(new JsonStringEnumConverter());
                    }

                    return json;
                });
                if (schedulerAddress is not null)
                {
                    rabbit.UseMessageScheduler(schedulerAddress);
                }

                rabbit.ConfigureEndpoints(context);
            });
        });
        return builder;
    }
}
