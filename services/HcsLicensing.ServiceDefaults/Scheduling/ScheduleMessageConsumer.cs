using System.Diagnostics;
using MassTransit;
using MassTransit.Scheduling;
using Microsoft.EntityFrameworkCore;

namespace HcsLicensing.ServiceDefaults.Scheduling;

/// <summary>
/// Takes MassTransit's ScheduleMessage and CancelScheduledMessage (what saga Schedule() and Request timeouts send)
/// and keeps them in PostgreSQL; <see cref="ScheduledMessageDispatcher{TDbContext}"/> sends them when due.
/// Both are idempotent: a redelivered schedule or cancel changes nothing.
/// </summary>
public sealed class ScheduleMessageConsumer<TDbContext>(TDbContext db, TimeProvider clock) :
    IConsumer<ScheduleMessage>,
    IConsumer<CancelScheduledMessage>
    where TDbContext : DbContext
{
    public async Task Consume(ConsumeContext<ScheduleMessage> context)
    {
        var contentType = context.ReceiveContext.ContentType?.MediaType;
        if (contentType != "application/vnd.masstransit+json")
        {
            throw new NotSupportedException($"ScheduleMessage must arrive in a MassTransit JSON envelope, not {contentType ?? "no content type"}");
        }

        var message = context.Message;
        var envelope = context.ReceiveContext.Body.GetString();
        var dueAt = DateTime.SpecifyKind(message.ScheduledTime, DateTimeKind.Utc);
        var now = clock.GetUtcNow().UtcDateTime;
        var traceParent = Activity.Current?.Id;
        // A cancelled row with this token means the cancellation overtook the schedule: keep it cancelled.
        await db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO scheduled_messages (token_id, due_at, destination, envelope, trace_parent, cancelled, created_at)
            VALUES ({message.CorrelationId}, {dueAt}, {message.Destination.ToString()}, {envelope}, {traceParent}, FALSE, {now})
            ON CONFLICT (token_id) DO NOTHING
            """,
            context.CancellationToken);
    }

    public async Task Consume(ConsumeContext<CancelScheduledMessage> context)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO scheduled_messages (token_id, due_at, destination, envelope, trace_parent, cancelled, created_at)
            VALUES ({context.Message.TokenId}, {now}, '', '', NULL, TRUE, {now})
            ON CONFLICT (token_id) DO UPDATE SET cancelled = TRUE, envelope = '', created_at = {now}
            """,
            context.CancellationToken);
    }
}
