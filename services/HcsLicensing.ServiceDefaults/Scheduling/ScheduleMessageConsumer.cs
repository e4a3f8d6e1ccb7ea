using System.Diagnostics;
using HcsLicensing.ServiceDefaults.Outbox;
using MassTransit;
using MassTransit.Scheduling;
using Microsoft.EntityFrameworkCore;

namespace HcsLicensing.ServiceDefaults.Scheduling;

/// <summary>
/// Takes MassTransit's ScheduleMessage and CancelScheduledMessage (what saga Schedule() and Request timeouts send)
/// and keeps them in the service's outbox, due at their time; <see cref="OutboxDispatcher{TDbContext}"/> sends them.
/// Both are idempotent: a redelivered schedule or cancel changes nothing.
/// </summary>
public sealed class ScheduleMessageConsumer<TDbContext>(TDbContext db, TimeProvider clock) :
    IConsumer<ScheduleMessage>,
    IConsumer<CancelScheduledMessage>
    where TDbContext : DbContext
{
    private DbSet<OutboxMessage> Outbox => db.Set<OutboxMessage>();

    public async Task Consume(ConsumeContext<ScheduleMessage> context)
    {
        var contentType = context.ReceiveContext.ContentType?.MediaType;
        if (contentType != "application/vnd.masstransit+json")
        {
            throw new NotSupportedException($"ScheduleMessage must arrive in a MassTransit JSON envelope, not {contentType ?? "no content type"}");
        }

        var message = context.Message;
        // A row with this token is this schedule again, or a cancellation that overtook it: either way, keep what is there.
        if (await Outbox.AnyAsync(row => row.TokenId == message.CorrelationId, context.CancellationToken))
        {
            return;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var dueAt = DateTime.SpecifyKind(message.ScheduledTime, DateTimeKind.Utc);
        Outbox.Add(ScheduledEnvelope.ToRow(context.ReceiveContext.Body.GetString(), message.CorrelationId, message.Destination.ToString(), dueAt, now, Activity.Current?.Id));
        await db.SaveChangesAsync(context.CancellationToken);
    }

    public async Task Consume(ConsumeContext<CancelScheduledMessage> context)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var cancelled = await Outbox.Where(row => row.TokenId == context.Message.TokenId)
            .ExecuteUpdateAsync(set => set.SetProperty(row => row.Cancelled, true).SetProperty(row => row.Body, "").SetProperty(row => row.CreatedAt, now), context.CancellationToken);
        if (cancelled == 0)
        {
            Outbox.Add(new OutboxMessage
            {
                MessageId = context.Message.TokenId,
                TokenId = context.Message.TokenId,
                DueAt = now,
                Cancelled = true,
                SentTime = now,
                CreatedAt = now,
            });
            await db.SaveChangesAsync(context.CancellationToken);
        }
    }
}
