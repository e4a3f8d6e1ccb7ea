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

    /// <summary>
    /// Per receive endpoint (its name without <see cref="EndpointPrefix"/>), a limit other than
    /// <see cref="ConcurrentMessageLimit"/>: e.g. CHPA's <c>chpa-license-audit</c> lane runs a few at a time, so that a
    /// license audit's thousands of verifications leave the CPU to assignments (docs/audit.md).
    /// </summary>
    public Dictionary<string, int> ConcurrentMessageLimits { get; set; } = [];

    /// <summary>The limit of the receive endpoint whose queue is <paramref name="queue"/> (prefix included).</summary>
    public int ConcurrentMessageLimitOf(string queue)
    {
        // Matched regardless of case: configuration keys are, and the binder's dictionary has no comparer of ours.
        var limit = ConcurrentMessageLimits.FirstOrDefault(pair => string.Equals($"{EndpointPrefix}{pair.Key}", queue, StringComparison.OrdinalIgnoreCase)).Value;
        return limit > 0 ? limit : ConcurrentMessageLimit;
    }

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

    /// <summary>
    /// "classic" (the default: a single-node development broker) or "quorum": the service's durable queues (its receive
    /// endpoints, with their _error and _skipped queues) are declared as quorum queues, replicated over a RabbitMQ
    /// cluster's nodes. A queue's type is fixed when it is created: see deploy/README.md for switching a broker over.
    /// </summary>
    public string QueueType { get; set; } = QueueTypes.Classic;

    /// <summary>
    /// Quorum queues only: how often RabbitMQ may hand out one message before it moves it to the endpoint's _error queue.
    /// Retries happen inside the consuming process and do not count; a redelivery happens only when a consumer's channel
    /// closes with the message unacknowledged (a crash, a lost connection, the consumer timeout). So only a message that
    /// keeps killing its consumers reaches the limit, and it is set aside rather than looping or being dropped.
    /// </summary>
    public int DeliveryLimit { get; set; } = 10;

    /// <summary>
    /// The nodes of a RabbitMQ cluster as host:port, e.g. ["rabbit-0:5672", "rabbit-1:5672", "rabbit-2:5672"]: the bus
    /// connects to one of them and reconnects to another when it is lost. Empty: the connection string's host only.
    /// User, password, virtual host and TLS still come from the connection string.
    /// </summary>
    public string[] ClusterNodes { get; set; } = [];

    /// <summary>Trust in the broker (and a client certificate) when ConnectionStrings:RabbitMq is amqps://.</summary>
    public BrokerTlsOptions Tls { get; set; } = new();
}
