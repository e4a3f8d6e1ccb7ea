using System.Collections.Concurrent;
using HcsLicensing.TestBed;
using HcsLicensing.TestBed.Security;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace HcsLicensing.JobTracker.Tests;

/// <summary>
/// The real JobTracker (its Program, through WebApplicationFactory) on the test bed's RabbitMQ and a fresh PostgreSQL
/// database, plus a separate test bus that plays the job owners: it publishes job events and commands and records
/// what JobTracker publishes back. One per test assembly; tests keep apart by using new job ids and entity names.
/// </summary>
internal sealed class JobTrackerHost : IAsyncDisposable
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static JobTrackerHost? _shared;

    private readonly WebApplicationFactory<Program> _factory;
    private readonly IBusControl _owners;

    private readonly Uri _broker;
    private readonly string _prefix;
    private readonly TestIssuer _issuer;

    private JobTrackerHost(WebApplicationFactory<Program> factory, IBusControl owners, string database, Uri broker, string prefix, MessageLog log, TestIssuer issuer)
    {
        _factory = factory;
        _owners = owners;
        _broker = broker;
        _prefix = prefix;
        _issuer = issuer;
        Database = database;
        Log = log;
        Api = new JobsApiClient(factory.CreateDefaultClient(issuer.CreateHandler()));
    }

    /// <summary>The connection string of the service's database.</summary>
    public string Database { get; }

    public JobsApiClient Api { get; }

    /// <summary>What JobTracker consumed and published, as seen from the buses.</summary>
    public MessageLog Log { get; }

    public IServiceProvider Services => _factory.Services;

    public static async Task<JobTrackerHost> GetAsync()
    {
        await Gate.WaitAsync();
        try
        {
            return _shared ??= await StartAsync(await SharedTestServers.GetAsync());
        }
        finally
        {
            Gate.Release();
        }
    }

    public static async Task StopAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_shared is not null)
            {
                await _shared.DisposeAsync();
                _shared = null;
            }
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Publishes as a job's owner would, and waits until JobTracker has consumed it (or failed to).</summary>
    public async Task PublishAndWaitAsync<T>(T message)
        where T : class
    {
        var messageId = NewId.NextGuid();
        await _owners.Publish(message, context => context.MessageId = messageId);
        await Log.WaitHandledAsync(messageId, TimeSpan.FromSeconds(30));
    }

    /// <summary>A client that sends <typeparamref name="T"/> as a request (published, with a response address).</summary>
    public IRequestClient<T> RequestClient<T>()
        where T : class => _owners.CreateRequestClient<T>();

    /// <summary>Publishes all at once, without waiting.</summary>
    public Task PublishAllAsync<T>(IEnumerable<T> messages)
        where T : class =>
        Task.WhenAll(messages.Select(message => _owners.Publish(message)));

    /// <summary>A second JobTracker, in its own process, on the same database and queues: both consume the job events.</summary>
    /// <remarks>WebApplicationFactory replicas would share this process and with it the per-host saga lock.</remarks>
    public Task<ServiceProcess> StartReplicaAsync() => ServiceProcess.StartAsync(typeof(Program).Assembly.Location, new Dictionary<string, string>(_issuer.ServiceEnvironment)
    {
        ["ConnectionStrings__Database"] = Database,
        ["ConnectionStrings__RabbitMq"] = _broker.ToString(),
        ["Messaging__EndpointPrefix"] = $"{_prefix}-",
    });

    public async ValueTask DisposeAsync()
    {
        await _owners.StopAsync();
        await _factory.DisposeAsync();
    }

    private static async Task<JobTrackerHost> StartAsync(TestServers servers)
    {
        var database = await servers.Postgres.CreateDatabaseAsync("jobtracker");
        var prefix = $"jt-{Guid.NewGuid().ToString("N")[..6]}";
        var log = new MessageLog();
        var issuer = await SharedTestIssuer.GetAsync();
        var factory = CreateService(database, servers.RabbitMq.AmqpUri, prefix, issuer);
        factory.Services.GetRequiredService<IBus>().ConnectReceiveObserver(log);

        var owners = Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(servers.RabbitMq.AmqpUri);
            rabbit.ReceiveEndpoint($"{prefix}-job-owners", endpoint =>
            {
                endpoint.Handler<Contracts.Jobs.JobRestartRequested>(context => log.Record(context.Message));
                endpoint.Handler<Contracts.Jobs.JobCancelRequested>(context => log.Record(context.Message));
                endpoint.Handler<Contracts.Jobs.JobCommandRejected>(context => log.Record(context.Message));
            });
        });
        await owners.StartAsync();
        return new JobTrackerHost(factory, owners, database, servers.RabbitMq.AmqpUri, prefix, log, issuer);
    }

    /// <summary>The service's own Program, started, on the given database and broker.</summary>
    private static WebApplicationFactory<Program> CreateService(string database, Uri broker, string prefix, TestIssuer issuer)
    {
        // UseSetting goes into the host configuration, which Program's top-level code already sees when it reads
        // the connection strings (ConfigureAppConfiguration would come too late for AddServiceDatabase/AddServiceBus).
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web => web
            .UseSetting("ConnectionStrings:Database", database)
            .UseSetting("ConnectionStrings:RabbitMq", broker.ToString())
            .UseSetting("Messaging:EndpointPrefix", $"{prefix}-")
            .UseSetting("Logging:LogLevel:Default", "Warning")
            .UseSetting("Authentication:Authority", issuer.ServiceSettings["Authentication:Authority"])
            .UseSetting("Authentication:Audience", issuer.ServiceSettings["Authentication:Audience"])
            .UseSetting("Authentication:RequireHttpsMetadata", "false"));
        _ = factory.Server; // starts the host: migrations, then the bus
        return factory;
    }
}

/// <summary>
/// Which messages JobTracker has finished with, and what it published to the owners. A message counts as handled
/// at PostReceive: after the saga's transaction committed and the outbox sent what it published (PostConsume
/// comes before the commit, so a read right after it could still see the old job).
/// </summary>
internal sealed class MessageLog : IReceiveObserver
{
    private readonly ConcurrentDictionary<Guid, Exception?> _handled = new();
    private readonly ConcurrentQueue<Exception> _faults = new();
    private readonly ConcurrentQueue<object> _published = new();

    public IReadOnlyList<T> Published<T>() => [.. _published.OfType<T>()];

    /// <summary>Exceptions of messages that failed for good (MassTransit reports those of retried attempts only if all fail).</summary>
    public IReadOnlyList<Exception> Faults => [.. _faults];

    /// <summary>How many messages this service handled.</summary>
    public int HandledCount => _handled.Count;

    public Task Record(object message)
    {
        _published.Enqueue(message);
        return Task.CompletedTask;
    }

    public async Task WaitHandledAsync(Guid messageId, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!_handled.ContainsKey(messageId))
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"JobTracker did not handle message {messageId} within {timeout}");
            }

            await Task.Delay(20);
        }

        if (_handled[messageId] is { } fault)
        {
            Assert.Fail($"JobTracker failed on message {messageId}: {fault}");
        }
    }

    /// <summary>Polls until a message published to the owners matches, or fails the test at the deadline.</summary>
    public async Task<T> WaitPublishedAsync<T>(Func<T, bool> match, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            if (Published<T>().FirstOrDefault(match) is { } found)
            {
                return found;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"no matching {typeof(T).Name} was published within the deadline");
            }

            await Task.Delay(20);
        }
    }

    public Task PreReceive(ReceiveContext context) => Task.CompletedTask;

    /// <summary>
    /// The audit trail's queue gets job events too; "handled" means the job saga's queue handled them (the audit tests
    /// poll GET /audit instead).
    /// </summary>
    private static bool IsAuditTrail(ReceiveContext context) => context.InputAddress.AbsolutePath.EndsWith("audit-trail", StringComparison.Ordinal);

    public Task PostReceive(ReceiveContext context)
    {
        if (context.GetMessageId() is { } messageId && !IsAuditTrail(context))
        {
            _handled[messageId] = null;
        }

        return Task.CompletedTask;
    }

    public Task PostConsume<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType)
        where T : class => Task.CompletedTask;

    public Task ConsumeFault<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType, Exception exception)
        where T : class
    {
        _faults.Enqueue(exception);
        return Task.CompletedTask;
    }

    public Task ReceiveFault(ReceiveContext context, Exception exception)
    {
        if (context.GetMessageId() is { } messageId && !IsAuditTrail(context))
        {
            _handled[messageId] = exception;
        }

        return Task.CompletedTask;
    }
}
