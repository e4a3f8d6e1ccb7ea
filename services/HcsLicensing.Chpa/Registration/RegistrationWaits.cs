using HcsLicensing.Chpa.Data;
using HcsLicensing.Chpa.LicensingRequests;
using HcsLicensing.Contracts.Chpa;
using HcsLicensing.ServiceDefaults.Database;
using HcsLicensing.ServiceDefaults.Outbox;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HcsLicensing.Chpa.Registration;

/// <summary>
/// Starts, advances and ends the wait of a registration. Each step changes the wait's row and writes the next poll (or
/// the answer) into CHPA's outbox in the same transaction (the consumer's, when a consumer calls): the poll cannot
/// arrive before the wait it belongs to is committed, and a crash before the commit leaves neither. Nothing here holds
/// a consumer while the publisher restarts.
/// </summary>
public sealed class RegistrationWaits(
    ChpaDbContext db,
    TransactionalOutbox<ChpaDbContext> outbox,
    ChpaEndpoint endpoint,
    IOptions<RegistrationOptions> options,
    TimeProvider clock)
{
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
        await using var transaction = await JoinedTransaction.BeginOrJoinAsync(db.Database, context.CancellationToken);
        await db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO registration_waits (id, cluster_name, session_id, request_id, response_address, conversation_id, outcome_unknown, unknown_cause, poll_token, polls, last_seen, started_at, deadline)
            VALUES ({id}, {request.ClusterName}, {request.SessionId}, {context.RequestId}, {responseAddress}, {context.ConversationId}, {outcomeUnknown}, {cause}, {token}, 0, NULL, {now}, {deadline})
            ON CONFLICT (id) DO UPDATE SET poll_token = EXCLUDED.poll_token
            """,
            context.CancellationToken);
        await SchedulePollAsync(id, token, context.CancellationToken);
        await outbox.SaveChangesAsync(context.CancellationToken);
        await transaction.CommitAsync(context.CancellationToken);
    }

    /// <summary>Moves the wait to the next poll, unless another poll already did (then false, and nothing is scheduled).</summary>
    public async Task<bool> ContinueAsync(RegistrationWait wait, string seen, CancellationToken cancellationToken)
    {
        var next = NewId.NextGuid();
        await using var transaction = await JoinedTransaction.BeginOrJoinAsync(db.Database, cancellationToken);
        var moved = await db.RegistrationWaits
            .Where(w => w.Id == wait.Id && w.PollToken == wait.PollToken)
            .ExecuteUpdateAsync(set => set.SetProperty(w => w.PollToken, next).SetProperty(w => w.Polls, w => w.Polls + 1).SetProperty(w => w.LastSeen, seen), cancellationToken);
        if (moved == 0)
        {
            return false;
        }

        await SchedulePollAsync(wait.Id, next, cancellationToken);
        await outbox.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>Answers the original requester and deletes the wait, unless another poll already answered (then false).</summary>
    public async Task<bool> FinishAsync(RegistrationWait wait, RegisterClusterResponse answer, CancellationToken cancellationToken)
    {
        await using var transaction = await JoinedTransaction.BeginOrJoinAsync(db.Database, cancellationToken);
        var deleted = await db.RegistrationWaits.Where(w => w.Id == wait.Id && w.PollToken == wait.PollToken).ExecuteDeleteAsync(cancellationToken);
        if (deleted == 0)
        {
            return false;
        }

        // Committed with the wait's end: answered once, never not at all.
        if (wait.ResponseAddress is { } address)
        {
            var requester = await outbox.Send.GetSendEndpoint(new Uri(address));
            await requester.Send(answer, send => Correlate(send, wait), cancellationToken);
        }
        else
        {
            await outbox.Publish.Publish(answer, send => Correlate(send, wait), cancellationToken);
        }

        await outbox.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>The next poll, as an outbox row due one poll interval from now.</summary>
    private async Task SchedulePollAsync(Guid waitId, Guid token, CancellationToken cancellationToken)
    {
        var chpa = await outbox.Send.GetSendEndpoint(endpoint.Address);
        await chpa.Send(new PollRegistration(waitId, token), send => send.Delay = options.Value.PollInterval, cancellationToken);
    }

    private static void Correlate(SendContext send, RegistrationWait wait)
    {
        send.RequestId = wait.RequestId;
        send.ConversationId = wait.ConversationId;
    }
}
