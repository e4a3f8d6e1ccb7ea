namespace HcsLicensing.ServiceDefaults.Messaging;

/// <summary>Bus settings a service reads from the "Messaging" configuration section.</summary>
public sealed class BusOptions
{
    public const string Section = "Messaging";

    /// <summary>
    /// Put before every queue name, e.g. "staging-": lets several deployments (or test runs) share one broker
    /// without consuming each other's messages.
    /// </summary>
    public string? EndpointPrefix { get; set; }

    /// <summary>Messages each receive endpoint processes at once.</summary>
    public int ConcurrentMessageLimit { get; set; } = 16;

    /// <summary>Messages RabbitMQ hands each endpoint ahead of processing.</summary>
    public int PrefetchCount { get; set; } = 32;

    /// <summary>
    /// Retries of a failing message before it goes to the endpoint's _error queue. Saga conflicts
    /// (another message changed the same job first) are settled by these retries, so keep it generous.
    /// </summary>
    public int RetryLimit { get; set; } = 20;

    /// <summary>The first retry's delay; later ones grow exponentially, with jitter, up to <see cref="RetryMaxInterval"/>.</summary>
    public TimeSpan RetryMinInterval { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>The longest delay between two retries.</summary>
    public TimeSpan RetryMaxInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long a message that meets an outage (the database away) is retried before it goes to the _error queue:
    /// long enough for a restart or failover, shorter than RabbitMQ's consumer_timeout (30 minutes by default), which
    /// would otherwise close the channel and hand the unacknowledged message to another consumer.
    /// </summary>
    public TimeSpan OutageRetryFor { get; set; } = TimeSpan.FromMinutes(20);

    /// <summary>Trust in the broker (and a client certificate) when ConnectionStrings:RabbitMq is amqps://.</summary>
    public BrokerTlsOptions Tls { get; set; } = new();
}
