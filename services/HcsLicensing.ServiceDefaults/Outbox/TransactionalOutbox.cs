using System.Diagnostics;
using MassTransit;
using MassTransit.Middleware;
using MassTransit.Middleware.Outbox;
using MassTransit.Transports;
using Microsoft.EntityFrameworkCore;

namespace HcsLicensing.ServiceDefaults.Outbox;

/// <summary>
/// The outbox for code that is not a consumer (an HTTP endpoint, a background job): publish and send through
/// <see cref="Publish"/> and <see cref="Send"/>, then save <typeparamref name="TDbContext"/> (the scope's, the same
/// instance the caller changes). The messages are rows of that save and leave once it commits, or never. So a 202
/// means the work is recorded, and a client hanging up cannot leave half of it sent. Inside a consumer, the consumer's
/// own transaction is the one that saves them. Scoped; a send with a Delay is due that much later.
/// </summary>
public sealed class TransactionalOutbox<TDbContext> : OutboxSendContext
    where TDbContext : DbContext
{
    private readonly TDbContext db;
    private readonly IServiceProvider provider;
    private readonly TimeProvider clock;
    private readonly Lock rows = new();

    public TransactionalOutbox(TDbContext db, IBus bus, IServiceProvider provider, TimeProvider clock)
    {
        this.db = db;
        this.provider = provider;
        this.clock = clock;
        Publish = new PublishEndpoint(new OutboxPublishEndpointProvider(this, bus));
        Send = new OutboxSendEndpointProvider(this, bus);
    }

    /// <summary>Publishes as rows of the next save.</summary>
    public IPublishEndpoint Publish { get; }

    /// <summary>Sends as rows of the next save.</summary>
    public ISendEndpointProvider Send { get; }

    /// <summary>Saves the DbContext: the caller's changes and the messages, in one transaction.</summary>
    public Task SaveChangesAsync(CancellationToken cancellationToken) => db.SaveChangesAsync(cancellationToken);

    public Task AddSend<T>(SendContext<T> context)
        where T : class
    {
        var row = OutboxMessage.From(context, clock.GetUtcNow().UtcDateTime, Activity.Current?.Id);
        lock (rows)
        {
            db.Set<OutboxMessage>().Add(row);
        }

        return Task.CompletedTask;
    }

    public object? GetService(Type serviceType) => provider.GetService(serviceType);
}
