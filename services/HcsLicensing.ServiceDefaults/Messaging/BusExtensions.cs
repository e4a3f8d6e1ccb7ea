using System.Text.Json;
using System.Text.Json.Serialization;
using HcsLicensing.ServiceDefaults.ErrorQueues;
using HcsLicensing.ServiceDefaults.Health;
using HcsLicensing.ServiceDefaults.Outbox;
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
    /// <summary>
    /// The connection string naming the broker, e.g. amqp://guest:guest@localhost:5672/, or amqps://user:pass@host/vhost
    /// for TLS (port 5671 unless named; trust from Messaging:Tls, see <see cref="BrokerTls"/>).
    /// </summary>
    public const string ConnectionStringName = "RabbitMq";

    /// <summary>
    /// The bus of a service: RabbitMQ from ConnectionStrings:RabbitMq, kebab-case endpoint names, and on every
    /// endpoint exponential retry with jitter (saga conflicts are settled there) around the transactional outbox on
    /// <typeparamref name="TDbContext"/>'s database (a message's changes, what it sent and its inbox record commit
    /// together; the outbox's dispatcher sends after the commit). <paramref name="configure"/> adds the service's
    /// consumers and sagas. With <paramref name="schedulerQueue"/>, also the durable scheduler: saga Schedule() and
    /// Request timeouts go to that queue and wait in the outbox for their time, across restarts.
    /// </summary>
    public static IHostApplicationBuilder AddServiceBus<TDbContext>(this IHostApplicationBuilder builder, Action<IBusRegistrationConfigurator> configure, string? schedulerQueue = null)
        where TDbContext : DbContext
    {
        builder.AddServiceBus<TDbContext>(configure, schedulerQueue is null ? null : (schedulerQueue, (bus, queue) => bus.AddDurableScheduler<TDbContext>(queue)));
        builder.Services.AddTransactionalOutbox<TDbContext>(builder.Configuration);
        return builder;
    }

    private static IHostApplicationBuilder AddServiceBus<TDbContext>(
        this IHostApplicationBuilder builder,
        Action<IBusRegistrationConfigurator> configure,
        (string Queue, Action<IBusRegistrationConfigurator, string> Register)? scheduler)
        where TDbContext : DbContext
    {
        var connectionString = builder.Configuration.GetConnectionString(ConnectionStringName)
            ?? throw new InvalidOperationException($"ConnectionStrings:{ConnectionStringName} is not configured.");
        var options = builder.Configuration.GetSection(BusOptions.Section).Get<BusOptions>() ?? new BusOptions();
        var broker = new Uri(connectionString);
        var tls = BrokerTls.For(broker, options.Tls);
        var quorum = QueueTypes.IsQuorum(options);
        var schedulerQueue = scheduler is null ? null : $"{options.EndpointPrefix}{scheduler.Value.Queue}";
        var addresses = EndpointAddresses.From(builder.Configuration);
        var schedulerAddress = schedulerQueue is null ? null : addresses.OfName(schedulerQueue);

        builder.Services.AddSingleton(addresses);
        var nodes = BrokerNodes.Of(broker, options.ClusterNodes);
        builder.Services.AddBrokerReadiness(nodes, tls);
        var receiveQueues = new ReceiveQueues();
        builder.Services.AddErrorQueues(broker, nodes, tls, options.EndpointPrefix, receiveQueues, builder.Environment.ApplicationName);
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

            bus.AddConfigureEndpointsCallback((context, queue, endpoint) =>
            {
                receiveQueues.Add(queue); // its queue_error is one the service answers for (ErrorQueues/)
                endpoint.ConcurrentMessageLimit = options.ConcurrentMessageLimitOf(queue);
                if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
                {
                    rabbit.PrefetchCount = options.PrefetchCount;
                    if (quorum)
                    {
                        rabbit.UseQuorumQueue(queue, options);
                    }
                }

                // Outages first (outer): the database away is waited out, from 1 s to 30 s apart, for OutageRetryFor;
                // the message stays unacknowledged meanwhile, and nothing else could be processed anyway.
                endpoint.UseMessageRetry(retry =>
                {
                    retry.Handle<Exception>(Outages.IsOutage);
                    retry.Intervals(Outages.RetryIntervals(options.OutageRetryFor));
                });
                endpoint.UseMessageRetry(retry =>
                {
                    retry.Exponential(options.RetryLimit, options.RetryMinInterval, options.RetryMaxInterval, options.RetryMinInterval);
                    // A body that cannot be read (e.g. plain JSON missing a required field) reads no better later:
                    // straight to the _error queue, with the reason in its MT-Fault-Message header.
                    retry.Ignore<JsonException>();
                    retry.Ignore<Exception>(Outages.IsOutage);
                });
                endpoint.UseTransactionalOutbox<TDbContext>(context);
            });

            configure(bus);

            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.Host(broker, host =>
                {
                    if (tls is not null)
                    {
                        host.UseSsl(tls.Configure);
                    }

                    if (options.ClusterNodes.Length > 0)
                    {
                        host.UseCluster(cluster =>
                        {
                            foreach (var node in options.ClusterNodes)
                            {
                                cluster.Node(node);
                            }
                        });
                    }
                });
                if (quorum)
                {
                    rabbit.SendTopology.UseQuorumSetAsideQueues();
                    rabbit.ConfigureSend(send => send.UseSendExecute(QueueTypes.SendMandatory));
                }

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
