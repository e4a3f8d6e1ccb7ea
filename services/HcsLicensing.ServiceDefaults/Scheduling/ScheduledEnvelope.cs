using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using HcsLicensing.ServiceDefaults.Outbox;

namespace HcsLicensing.ServiceDefaults.Scheduling;

/// <summary>
/// Turns MassTransit's ScheduleMessage, as it arrived in its JSON envelope, into the outbox row of the message to
/// deliver when due: its payload and payload types become the message and message types; request, correlation and
/// response addresses are kept, so that a Request timeout reaches the saga that asked; the scheduling token is the
/// delivered message's id and its MT-Scheduling-TokenId header, so that a saga drops a superseded timeout.
/// </summary>
internal static class ScheduledEnvelope
{
    public const string SchedulingTokenIdHeader = "MT-Scheduling-TokenId";

    private static readonly string[] CopiedEnvelopeFields =
        ["requestId", "correlationId", "conversationId", "initiatorId", "sourceAddress", "responseAddress", "faultAddress", "expirationTime", "headers", "host"];

    public static OutboxMessage ToRow(string scheduleEnvelope, Guid tokenId, string destination, DateTime dueAt, DateTime now, string? traceParent)
    {
        var schedule = JsonNode.Parse(scheduleEnvelope)?.AsObject() ?? throw new FormatException("empty ScheduleMessage envelope");
        var command = schedule["message"]?.AsObject() ?? throw new FormatException("ScheduleMessage envelope without a message");
        var delivered = new JsonObject
        {
            ["messageId"] = tokenId.ToString(),
            ["destinationAddress"] = destination,
            ["messageType"] = command["payloadType"]?.DeepClone(),
            ["message"] = command["payload"]?.DeepClone(),
            ["sentTime"] = now.ToString("O", CultureInfo.InvariantCulture),
        };
        foreach (var field in CopiedEnvelopeFields)
        {
            if (schedule[field] is { } value)
            {
                delivered[field] = value.DeepClone();
            }
        }

        var headers = delivered["headers"] as JsonObject ?? [];
        headers[SchedulingTokenIdHeader] = tokenId.ToString("D");
        delivered["headers"] = headers;

        return new OutboxMessage
        {
            MessageId = tokenId,
            TokenId = tokenId,
            DueAt = dueAt,
            Destination = destination,
            RequestId = GuidOf(schedule, "requestId"),
            CorrelationId = GuidOf(schedule, "correlationId"),
            ConversationId = GuidOf(schedule, "conversationId"),
            InitiatorId = GuidOf(schedule, "initiatorId"),
            Source = TextOf(schedule, "sourceAddress"),
            ResponseTo = TextOf(schedule, "responseAddress"),
            FaultTo = TextOf(schedule, "faultAddress"),
            ExpirationTime = TextOf(schedule, "expirationTime") is { } expires
                ? DateTime.Parse(expires, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal)
                : null,
            SentTime = now,
            ContentType = "application/vnd.masstransit+json",
            MessageType = string.Join(";", (command["payloadType"] as JsonArray ?? []).Select(type => type?.GetValue<string>())),
            Body = delivered.ToJsonString(),
            HeadersJson = JsonSerializer.Serialize(new Dictionary<string, string> { [SchedulingTokenIdHeader] = tokenId.ToString("D") }),
            TraceParent = traceParent,
            CreatedAt = now,
        };
    }

    private static string? TextOf(JsonObject envelope, string field) =>
        envelope[field] is JsonValue value && value.TryGetValue(out string? text) && !string.IsNullOrEmpty(text) ? text : null;

    private static Guid? GuidOf(JsonObject envelope, string field) =>
        Guid.TryParse(TextOf(envelope, field), out var id) ? id : null;
}
