using HcsLicensing.Chpa.Data;
using HcsLicensing.Chpa.LicensingRequests;
using HcsLicensing.Contracts.Chpa;
using HcsLicensing.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HcsLicensing.Chpa.Registration;

/// <summary>
/// Starts, advances and ends the wait of a registration. Each step changes the wait's row and hands the next poll to
/// the durable scheduler in one transaction, sending through the bus itself (not the consumer's outbox) before the
/// commit: a crash in between leaves the old token in the row, so the retried message schedules again and the orphan
/// poll is ignored. Nothing here holds a consumer while the publisher restarts.
/// </summary>
public sealed class RegistrationWaits(
    ChpaDbContext db,
    IBus bus,
    ChpaEndpoint endpoint,
    IConfiguration configuration,
    IOptions<RegistrationOptions> options,
    TimeProvider clock)
{
    /// <summary>The scheduler queue AddServiceBus gives CHPA (the prefix comes first, as ServiceDefaults names it).</summary>
    public const string SchedulerQueue = "chpa-scheduler";

    public async Task StartAsync(ConsumeContext<RegisterClusterRequest> context, bool outcomeUnknown, ChpaResponseReason? unknownCause)
    {
        var request = context.Message;
        // Keyed by the request, so that a redelivered request takes over its wait (new token) instead of adding a second one.
        var id = context.RequestId ?? context.MessageId ?? NewId.NextGuid();
        var token = NewId.NextGuid();
        var now = clock.GetUtcNow();
        var deadline = now + options.Value.Deadline;
        var responseAddress = context.ResponseAddress?.ToString();
        var cause = unknownCause?.ToString();
        await using var transaction = await db.Database.BeginTransactionAsync(context.CancellationToken);
        await db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO registration_waits (id, cluster_name, session_id, request_id, response_address, conversation_id, outcome_unknown, unknown_cause, poll_token, polls, last_seen, started_at, deadline)
            VALUES ({id}, {request.ClusterName}, {request.SessionId}, {context.RequestId}, {responseAddress}, {context.ConversationId}, {outcomeUnknown}, {cause}, {token}, 0, NULL, {now}, {deadline})
            ON CONFLICT (id) DO UPDATE SET poll_token = EXCLUDED.poll_token
            """,
            context.CancellationToken);
        await SchedulePollAsync(id, token, context.CancellationToken);
        await transaction.CommitAsync(context.CancellationToken);
    }

    /// <summary>Moves the wait to the next poll, unless another poll already did (then false, and nothing is scheduled).</summary>
    public async Task<bool> ContinueAsync(RegistrationWait wait, string seen, CancellationToken cancellationToken)
    {
        var next = NewId.NextGuid();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var moved = await db.RegistrationWaits
            .Where(w => w.Id == wait.Id && w.PollToken == wait.PollToken)
            .ExecuteUpdateAsync(set => set.SetProperty(w => w.PollToken, next).SetProperty(w => w.Polls, w => w.Polls + 1).SetProperty(w => w.LastSeen, seen), cancellationToken);
        if (moved == 0)
        {
            return false;
        }

        await SchedulePollAsync(wait.Id, next, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>Answers the original requester and deletes the wait, unless another poll already answered (then false).</summary>
    public async Task<bool> FinishAsync(RegistrationWait wait, RegisterClusterResponse answer, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var deleted = await db.RegistrationWaits.Where(w => w.Id == wait.Id && w.PollToken == wait.PollToken).ExecuteDeleteAsync(cancellationToken);
        if (deleted == 0)
        {
            return false;
        }

        // Sent before the commit: a crash in between answers twice (a request client takes the first), never not at all.
        if (wait.ResponseAddress is { } address)
        {
            var requester = await bus.GetSendEndpoint(new Uri(address));
            await requester.Send(answer, send => Correlate(send, wait), cancellationToken);
        }
        else
        {
            await bus.Publish(answer, send => Correlate(send, wait), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    private Task<ScheduledMessage<PollRegistration>> SchedulePollAsync(Guid waitId, Guid token, CancellationToken cancellationToken)
    {
        var prefix = configuration.GetSection(BusOptions.Section).Get<BusOptions>()?.EndpointPrefix;
        var scheduler = bus.CreateMessageScheduler(new Uri($"queue:{prefix}{SchedulerQueue}"));
        var dueAt = (clock.GetUtcNow() + options.Value.PollInterval).UtcDateTime;
        return scheduler.ScheduleSend(endpoint.Address, dueAt, new PollRegistration(waitId, token), cancellationToken);
    }

    private static void Correlate(SendContext send, RegistrationWait wait)
    {
        send.RequestId = wait.RequestId;
        send.ConversationId = wait.ConversationId;
    }
}
