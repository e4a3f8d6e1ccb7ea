using HcsLicensing.ServiceDefaults.Database;
using HcsLicensing.ServiceDefaults.Messaging;
using HcsLicensing.ServiceDefaults.Security;
using HcsLicensing.ServiceDefaults.Tests.Support;
using HcsLicensing.TestBed;
using HcsLicensing.TestBed.Security;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace HcsLicensing.ServiceDefaults.Tests.ErrorQueues;

/// <summary>Work whose consumer fails until the test opens its <see cref="WorkGate"/>; the secret must never be shown.</summary>
public sealed record DoWork(Guid WorkId, string Label, string Secret);

/// <summary>Closed: every DoWork fails (and lands in the error queue). Open: it succeeds.</summary>
public sealed class WorkGate
{
    private volatile bool _open;

    public bool Open
    {
        get => _open;
        set => _open = value;
    }
}

public sealed class FailsUntilOpened(WorkGate gate, Recorder<DoWork> done) : IConsumer<DoWork>
{
    public Task Consume(ConsumeContext<DoWork> context)
    {
        if (!gate.Open)
        {
            throw new InvalidOperationException($"work {context.Message.Label} cannot be done yet");
        }

        done.Add(context);
        return Task.CompletedTask;
    }
}

/// <summary>
/// A service as Program.cs builds one (defaults, API security with the test issuer, database, bus with one receive
/// endpoint "&lt;prefix&gt;-work" and the durable scheduler's), listening on a free port of the loopback, on the test bed's RabbitMQ and PostgreSQL.
/// </summary>
public sealed class ErrorQueueHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TestIssuer _issuer;
    private readonly Uri _address;

    private ErrorQueueHost(WebApplication app, TestIssuer issuer, string prefix, Uri address)
    {
        _app = app;
        _issuer = issuer;
        _address = address;
        Prefix = prefix;
    }

    public string Prefix { get; }

    public string WorkQueue => $"{Prefix}-work";

    public string ErrorQueue => $"{WorkQueue}_error";

    public IServiceProvider Services => _app.Services;

    public WorkGate Gate => Services.GetRequiredService<WorkGate>();

    public Recorder<DoWork> Done => Services.GetRequiredService<Recorder<DoWork>>();

    /// <summary>Starts the service; <paramref name="settings"/> override the defaults below (e.g. another broker, quorum queues).</summary>
    public static async Task<ErrorQueueHost> StartAsync(TestServers servers, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var issuer = await SharedTestIssuer.GetAsync();
        var prefix = ServiceHost.NewPrefix("errq");
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(issuer.ServiceSettings.ToDictionary(s => s.Key, s => (string?)s.Value));
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Database"] = await ServiceHost.CreateDatabaseAsync(servers),
            ["ConnectionStrings:RabbitMq"] = servers.RabbitMq.AmqpUri.ToString(),
            ["Messaging:EndpointPrefix"] = prefix + "-",
            // One quick retry: a failing message reaches the error queue within a second.
            ["Messaging:RetryLimit"] = "1",
            ["Outbox:PollInterval"] = "00:00:00.500",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:MassTransit"] = "None",
        });
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
        builder.AddServiceDefaults("ErrorQueueTest");
        builder.AddServiceApiSecurity();
        builder.AddServiceDatabase<TestDbContext>();
        builder.Services.AddSingleton<WorkGate>().AddSingleton<Recorder<DoWork>>();
        builder.AddServiceBus<TestDbContext>(bus => bus.AddConsumer<FailsUntilOpened>().Endpoint(e => e.Name = $"{prefix}-work"), schedulerQueue: "scheduler");
        var app = builder.Build();
        app.MapServiceDefaults();
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
        return new ErrorQueueHost(app, issuer, prefix, address);
    }

    /// <summary>A client whose token carries exactly <paramref name="permissions"/> (hcs.admin by default).</summary>
    public HttpClient Client(params string[] permissions)
    {
        var handler = _issuer.CreateHandler(permissions.Length == 0 ? [HcsPermissions.Admin] : permissions);
        handler.InnerHandler = new HttpClientHandler();
        return new HttpClient(handler) { BaseAddress = _address };
    }

    /// <summary>Sends DoWork with a message id of its own (returned) to the work queue.</summary>
    public async Task<Guid> SendWorkAsync(string label, string secret = "no secret")
    {
        var messageId = Guid.NewGuid();
        var endpoint = await Services.GetRequiredService<IBus>().GetSendEndpoint(Services.GetRequiredService<EndpointAddresses>().OfName(WorkQueue));
        await endpoint.Send(new DoWork(Guid.NewGuid(), label, secret), context => context.MessageId = messageId);
        return messageId;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
