using System.Text.Json;
using MassTransit;
using MassTransit.Middleware;
using MassTransit.Serialization;

namespace HcsLicensing.ServiceDefaults.Outbox;

/// <summary>
/// A message decided inside a database transaction, waiting in the service's own database for that transaction to
/// commit and its due time to come: what a consumer or saga sent or published, what an HTTP endpoint or background job
/// handed to <see cref="TransactionalOutbox{TDbContext}"/>, and what MassTransit's ScheduleMessage asked for later.
/// <see cref="OutboxDispatcher{TDbContext}"/> sends it and deletes the row. It is MassTransit's
/// <see cref="OutboxMessageContext"/>, so MassTransit's own <see cref="OutboxMessageSendPipe"/> rebuilds the send.
/// </summary>
public sealed class OutboxMessage : OutboxMessageContext
{
    private static readonly IReadOnlyDictionary<string, object> NoProperties = new Dictionary<string, object>();

    public long SequenceNumber { get; set; }

    public Guid MessageId { get; set; }

    /// <summary>MassTransit's scheduling token of a scheduled message (what CancelScheduledMessage names); null otherwise.</summary>
    public Guid? TokenId { get; set; }

    /// <summary>When to send: the commit's time for ordinary sends, later for scheduled ones.</summary>
    public DateTime DueAt { get; set; }

    public string Destination { get; set; } = "";

    public Guid? ConversationId { get; set; }

    public Guid? CorrelationId { get; set; }

    public Guid? InitiatorId { get; set; }

    public Guid? RequestId { get; set; }

    public string? Source { get; set; }

    public string? ResponseTo { get; set; }

    public string? FaultTo { get; set; }

    public DateTime? ExpirationTime { get; set; }

    public DateTime SentTime { get; set; }

    public string ContentType { get; set; } = "";

    public string MessageType { get; set; } = "";

    public string Body { get; set; } = "";

    /// <summary>The send's headers as JSON (what a body without an envelope, such as raw JSON, carries beside it).</summary>
    public string? HeadersJson { get; set; }

    /// <summary>The W3C trace parent of the transaction that decided the message, so that its delivery continues that trace.</summary>
    public string? TraceParent { get; set; }

    /// <summary>A cancellation that overtook its schedule: kept (a day) so that the late schedule is ignored.</summary>
    public bool Cancelled { get; set; }

    /// <summary>Failed sends of this row alone; after the dispatcher's limit it is set aside (<see cref="DeadAt"/>).</summary>
    public int Attempts { get; set; }

    public string? LastError { get; set; }

    /// <summary>When the dispatcher gave up on this row (it stays, with <see cref="LastError"/>, for an operator).</summary>
    public DateTime? DeadAt { get; set; }

    public DateTime CreatedAt { get; set; }

    Guid? MessageContext.MessageId => MessageId;

    Uri? MessageContext.SourceAddress => ToUri(Source);

    Uri? MessageContext.DestinationAddress => ToUri(Destination);

    Uri? MessageContext.ResponseAddress => ToUri(ResponseTo);

    Uri? MessageContext.FaultAddress => ToUri(FaultTo);

    DateTime? MessageContext.SentTime => SentTime;

    Headers MessageContext.Headers => new DictionarySendHeaders(
        HeadersJson is null ? [] : JsonSerializer.Deserialize<Dictionary<string, string>>(HeadersJson)!.ToDictionary(h => h.Key, h => (object?)h.Value));

    HostInfo MessageContext.Host => MassTransit.Metadata.HostMetadataCache.Host;

    IReadOnlyDictionary<string, object> OutboxMessageContext.Properties => NoProperties;

    private static Uri? ToUri(string? address) => string.IsNullOrEmpty(address) ? null : new Uri(address);

    /// <summary>The row for a send MassTransit prepared (through an outbox send endpoint), due now or after its Delay.</summary>
    public static OutboxMessage From<T>(SendContext<T> context, DateTime now, string? traceParent)
        where T : class
    {
        var body = context.Serializer.GetMessageBody(context);
        return new OutboxMessage
        {
            MessageId = context.MessageId ?? NewId.NextGuid(),
            DueAt = context.Delay is { } delay && delay > TimeSpan.Zero ? now + delay : now,
            Destination = context.DestinationAddress?.ToString() ?? throw new InvalidOperationException($"A {typeof(T).Name} without a destination cannot be kept for sending"),
            ConversationId = context.ConversationId,
            CorrelationId = context.CorrelationId,
            InitiatorId = context.InitiatorId,
            RequestId = context.RequestId,
            Source = context.SourceAddress?.ToString(),
            ResponseTo = context.ResponseAddress?.ToString(),
            FaultTo = context.FaultAddress?.ToString(),
            ExpirationTime = context.TimeToLive is { } ttl ? now + ttl : null,
            SentTime = context.SentTime ?? now,
            ContentType = context.ContentType?.ToString() ?? context.Serialization.DefaultContentType.ToString(),
            MessageType = string.Join(";", context.SupportedMessageTypes),
            Body = body.GetString(),
            // As text: a MassTransit envelope carries its headers in the body; these are for bodies without one.
            HeadersJson = JsonSerializer.Serialize(context.Headers.GetAll().ToDictionary(h => h.Key, h => h.Value?.ToString() ?? "")),
            TraceParent = traceParent,
            CreatedAt = now,
        };
    }
}
