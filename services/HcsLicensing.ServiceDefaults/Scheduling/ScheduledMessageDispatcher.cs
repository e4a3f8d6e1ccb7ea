using System.Diagnostics;
using System.Net.Mime;
using System.Text.Json.Nodes;
using MassTransit;
using MassTransit.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HcsLicensing.ServiceDefaults.Scheduling;

/// <summary>
/// Sends due scheduled messages. Each pass takes a batch of due rows with FOR UPDATE SKIP LOCKED, so several
/// instances share the work without sending a message twice; the rows are deleted in the transaction that
/// sent them. A crash between the broker's confirm and the commit sends that batch again (at least once,
/// never lost); state machines ignore a timeout whose token is no longer theirs.
/// </summary>
public sealed class ScheduledMessageDispatcher<TDbContext>(
    IServiceScopeFactory scopes,
    IBus bus,
    IOptions<SchedulerOptions> options,
    TimeProvider clock,
    ILogger<ScheduledMessageDispatcher<TDbContext>> logger) : BackgroundService
    where TDbContext : DbContext
{
    /// <summary>The ActivitySource of deliveries, each a child of the trace that scheduled the message.</summary>
    public const string ActivitySourceName = "HcsLicensing.Scheduler";

    private static readonly ActivitySource Source = new(ActivitySourceName);
    private static readonly ContentType EnvelopeContentType = new("application/vnd.masstransit+json");
    private static readonly string[] CopiedEnvelopeFields =
        ["requestId", "correlationId", "conversationId", "initiatorId", "sourceAddress", "responseAddress", "faultAddress", "expirationTime", "headers", "host"];

    private const string SchedulingTokenIdHeader = "MT-Scheduling-TokenId";

    private DateTime _nextCleanup = DateTime.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        while (!stoppingToken.IsCancellationRequested)
        {
            var sent = 0;
            try
            {
                sent = await DispatchDueAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // Broker or database away for a moment: the rows stay and the next pass sends them.
                logger.LogWarning(exception, "Scheduled message dispatch failed; retrying in {Interval}", settings.PollInterval);
            }

            if (sent < settings.BatchSize)
            {
                await Task.Delay(settings.PollInterval, clock, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>Sends every message due now (one batch) and returns how many were sent.</summary>
    public async Task<int> DispatchDueAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var due = await db.Set<ScheduledDelivery>()
            .FromSql($"SELECT * FROM scheduled_messages WHERE NOT cancelled AND due_at <= {now} ORDER BY due_at LIMIT {settings.BatchSize} FOR UPDATE SKIP LOCKED")
            .AsNoTracking()
            .ToListAsync(cancellationToken);
        if (due.Count > 0)
        {
            await Task.WhenAll(due.Select(message => SendAsync(message, now, cancellationToken)));
            var tokens = due.Select(message => message.TokenId).ToList();
            await db.Set<ScheduledDelivery>().Where(message => tokens.Contains(message.TokenId)).ExecuteDeleteAsync(cancellationToken);
        }

        if (now >= _nextCleanup)
        {
            var cutoff = now - settings.CancelledRetention;
            await db.Set<ScheduledDelivery>().Where(message => message.Cancelled && message.CreatedAt < cutoff).ExecuteDeleteAsync(cancellationToken);
            _nextCleanup = now.AddMinutes(1);
        }

        await transaction.CommitAsync(cancellationToken);
        return due.Count;
    }

    private async Task SendAsync(ScheduledDelivery message, DateTime now, CancellationToken cancellationToken)
    {
        using var activity = Source.StartActivity("scheduled message deliver", ActivityKind.Internal, message.TraceParent);
        activity?.SetTag("messaging.destination.name", message.Destination);
        activity?.SetTag("hcs.scheduler.token_id", message.TokenId);
        var body = ToDeliveredEnvelope(message, now);
        var endpoint = await bus.GetSendEndpoint(new Uri(message.Destination));
        await endpoint.Send(
            new SerializedMessageBody(),
            Pipe.Execute<SendContext>(send =>
            {
                send.MessageId = message.TokenId;
                // Schedule() compares it with the token the saga holds and drops a superseded timeout.
                send.Headers.Set(SchedulingTokenIdHeader, message.TokenId.ToString("D"));
                send.Serializer = new CopyBodySerializer(EnvelopeContentType, new StringMessageBody(body));
            }),
            cancellationToken);
    }

    /// <summary>
    /// The envelope of the message to deliver, made from the ScheduleMessage's: its payload and payload types become
    /// the message and message types; request, correlation and response addresses are kept, so that a Request
    /// timeout reaches the saga that asked.
    /// </summary>
    internal static string ToDeliveredEnvelope(ScheduledDelivery message, DateTime now)
    {
        var schedule = JsonNode.Parse(message.Envelope)?.AsObject() ?? throw new FormatException("empty ScheduleMessage envelope");
        var command = schedule["message"]?.AsObject() ?? throw new FormatException("ScheduleMessage envelope without a message");
        var delivered = new JsonObject
        {
            ["messageId"] = message.TokenId.ToString(),
            ["destinationAddress"] = message.Destination,
            ["messageType"] = command["payloadType"]?.DeepClone(),
            ["message"] = command["payload"]?.DeepClone(),
            ["sentTime"] = now.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var field in CopiedEnvelopeFields)
        {
            if (schedule[field] is { } value)
            {
                delivered[field] = value.DeepClone();
            }
        }

        var headers = delivered["headers"] as JsonObject ?? [];
        headers[SchedulingTokenIdHeader] = message.TokenId.ToString("D");
        delivered["headers"] = headers;

        return delivered.ToJsonString();
    }
}
