using System.Diagnostics;
using MassTransit;
using MassTransit.Middleware;
using MassTransit.Middleware.Outbox;
using Microsoft.EntityFrameworkCore;

namespace HcsLicensing.ServiceDefaults.Outbox;

/// <summary>
/// The consume context a consumer or saga sees under the transactional outbox: what it sends, publishes or schedules
/// becomes <see cref="OutboxMessage"/> rows in its DbContext (MassTransit's outbox proxy routes every send here), saved
/// with its own changes in the one transaction <see cref="TransactionalOutboxContextFactory{TDbContext}"/> opened.
/// Delivery is the dispatcher's, after the commit, so the pipe's delivery and removal passes have nothing to do.
/// </summary>
internal sealed class TransactionalConsumeContext<TMessage>(
    ConsumeContext<TMessage> context,
    OutboxConsumeOptions options,
    IServiceProvider provider,
    DbContext db,
    TimeProvider clock,
    bool alreadyConsumed) : OutboxConsumeContextProxy<TMessage>(context, options, provider)
    where TMessage : class
{
    private readonly Lock rows = new();

    public override bool ContinueProcessing { get; set; } = true;

    /// <summary>True when the inbox already holds this message: MassTransit's pipe then acknowledges it without consuming.</summary>
    public override bool IsMessageConsumed => alreadyConsumed;

    public override bool IsOutboxDelivered => alreadyConsumed;

    public override int ReceiveCount => 1;

    public override long? LastSequenceNumber => null;

    /// <summary>The consumer is done: its changes and its outgoing rows are saved (the factory commits).</summary>
    public override Task SetConsumed() => db.SaveChangesAsync(CancellationToken);

    public override Task SetDelivered() => Task.CompletedTask;

    public override Task<List<OutboxMessageContext>> LoadOutboxMessages() => Task.FromResult(new List<OutboxMessageContext>());

    public override Task NotifyOutboxMessageDelivered(OutboxMessageContext message) => Task.CompletedTask;

    public override Task RemoveOutboxMessages() => Task.CompletedTask;

    public override Task AddSend<T>(SendContext<T> send)
    {
        var row = OutboxMessage.From(send, clock.GetUtcNow().UtcDateTime, Activity.Current?.Id);
        // A consumer may publish several messages at once; a DbContext is not thread-safe.
        lock (rows)
        {
            db.Set<OutboxMessage>().Add(row);
        }

        return Task.CompletedTask;
    }
}
