using System.Collections.Concurrent;
using HcsLicensing.Contracts.Jobs;
using HcsLicensing.Contracts.SmartAccounts;
using HcsLicensing.TestBed;
using MassTransit;

namespace HcsLicensing.SmartAccountSync.Tests.Support;

/// <summary>
/// A bus of its own playing JobTracker and ClusterAssign: records the job events and sync events the service publishes
/// (every service under test publishes to the same exchanges, so tests filter by job or smart account id), sends
/// SyncVirtualAccounts and asks for registration tokens on the service's own queues.
/// </summary>
internal sealed class BusObserver : IAsyncDisposable
{
    private readonly IBusControl _bus;
    private readonly string _prefix;
    private readonly ConcurrentQueue<object> _received = new();

    private BusObserver(IBusControl bus, string prefix)
    {
        _bus = bus;
        _prefix = prefix;
    }

    public static async Task<BusObserver> StartAsync(Uri amqp, string prefix)
    {
        BusObserver? observer = null;
        var bus = Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(amqp);
            rabbit.ReceiveEndpoint($"{prefix}observer", endpoint =>
            {
                endpoint.Handler<JobCreated>(c => observer!.Record(c.Message));
                endpoint.Handler<JobStepChanged>(c => observer!.Record(c.Message));
                endpoint.Handler<JobSucceeded>(c => observer!.Record(c.Message));
                endpoint.Handler<JobFailed>(c => observer!.Record(c.Message));
                endpoint.Handler<JobCanceled>(c => observer!.Record(c.Message));
                endpoint.Handler<VirtualAccountsSynced>(c => observer!.Record(c.Message));
                endpoint.Handler<SmartAccountConfigured>(c => observer!.Record(c.Message));
                endpoint.Handler<Contracts.Audit.ConfigurationChanged>(c => observer!.Record(c.Message));
            });
        });
        observer = new BusObserver(bus, prefix);
        await bus.StartAsync();
        return observer;
    }

    public IReadOnlyList<T> Received<T>() => [.. _received.OfType<T>()];

    /// <summary>Polls until a matching message arrived; fails the test at the deadline.</summary>
    public async Task<T> WaitForAsync<T>(Func<T, bool> match, TimeSpan? timeout = null)
    {
        var found = await Eventually.Poll(() => Task.FromResult(Received<T>().FirstOrDefault(match)), m => m is not null, timeout ?? TimeSpan.FromSeconds(60));
        Assert.That(found, Is.Not.Null, $"no matching {typeof(T).Name} arrived in time");
        return found!;
    }

    /// <summary>Publishes what JobTracker publishes once it accepted an operator's restart or cancel.</summary>
    public Task PublishAsync<T>(T message)
        where T : class => _bus.Publish(message);

    public async Task SendSyncAsync(string domain)
    {
        var endpoint = await _bus.GetSendEndpoint(new Uri($"queue:{_prefix}sync-virtual-accounts"));
        await endpoint.Send(new SyncVirtualAccounts { SmartAccountDomain = domain, RequestedBy = "test" });
    }

    /// <summary>Asks the service for a registration token as ClusterAssign would; returns the issued token or the refusal.</summary>
    public async Task<(RegistrationTokenIssued? Issued, RegistrationTokenRefused? Refused)> RequestTokenAsync(string domain, string virtualAccount)
    {
        var client = _bus.CreateRequestClient<GetRegistrationTokenRequest>(new Uri($"queue:{_prefix}get-registration-token"), RequestTimeout.After(s: 60));
        var response = await client.GetResponse<RegistrationTokenIssued, RegistrationTokenRefused>(
            new GetRegistrationTokenRequest { SmartAccountDomain = domain, VirtualAccountName = virtualAccount, Purpose = "cluster cl1-alfa" });
        if (response.Is(out Response<RegistrationTokenIssued>? issued))
        {
            return (issued.Message, null);
        }

        return response.Is(out Response<RegistrationTokenRefused>? refused) ? (null, refused.Message) : (null, null);
    }

    /// <summary>Asks the service for CSSM's product instances as the license audit does (no domain: every smart account).</summary>
    public async Task<ProductInstancesListed> ListProductInstancesAsync(string? domain = null)
    {
        var client = _bus.CreateRequestClient<ListProductInstancesRequest>(new Uri($"queue:{_prefix}list-product-instances"), RequestTimeout.After(s: 60));
        return (await client.GetResponse<ProductInstancesListed>(new ListProductInstancesRequest { SmartAccountDomain = domain })).Message;
    }

    public ValueTask DisposeAsync() => new(_bus.StopAsync());

    private Task Record(object message)
    {
        _received.Enqueue(message);
        return Task.CompletedTask;
    }
}
