using System.Globalization;
using System.Text;
using System.Text.Json;
using RabbitMQ.Client;

namespace HcsLicensing.ServiceDefaults.ErrorQueues;

/// <summary>
/// One message of an error queue as an operator sees it: what it was, where it was going and why it failed, read from
/// its AMQP properties and the <c>MT-Fault-*</c> headers MassTransit wrote when it moved it there. Never its content:
/// a message may carry a registration token or a credential, so of the body only the message type is read.
/// </summary>
/// <param name="MessageId">The message id (MassTransit's, a GUID), the handle for moving it back; null if the publisher gave none.</param>
/// <param name="MessageTypes">Its message types (urn:message:Namespace:Type), from the MassTransit envelope, else the type the consumer expected.</param>
/// <param name="DestinationQueue">The receive queue it failed on, where a move sends it back.</param>
/// <param name="FaultedAt">When it failed for the last time (<c>MT-Fault-Timestamp</c>).</param>
/// <param name="Reason"><c>MT-Reason</c>: <c>fault</c> when the consumer threw (MassTransit's word for why it set the message aside).</param>
/// <param name="ExceptionType"><c>MT-Fault-ExceptionType</c>.</param>
/// <param name="ExceptionMessage"><c>MT-Fault-Message</c>.</param>
/// <param name="Redelivered">True once it has been handed out and put back, e.g. by an earlier listing.</param>
public sealed record FaultedMessage(
    string? MessageId,
    IReadOnlyList<string> MessageTypes,
    string DestinationQueue,
    DateTimeOffset? FaultedAt,
    string? Reason,
    string? ExceptionType,
    string? ExceptionMessage,
    bool Redelivered)
{
    /// <summary>The headers MassTransit adds when it sets a message aside; removed when the message is moved back.</summary>
    internal static bool IsFaultHeader(string name) =>
        name.StartsWith("MT-Fault-", StringComparison.Ordinal) || name.Equals("MT-Reason", StringComparison.Ordinal);

    internal static FaultedMessage From(ErrorQueue queue, IReadOnlyBasicProperties properties, ReadOnlyMemory<byte> body, bool redelivered)
    {
        var headers = properties.Headers;
        string? Header(string name) => headers is not null && headers.TryGetValue(name, out var value) ? Text(value) : null;

        var types = properties.ContentType?.Contains("masstransit", StringComparison.OrdinalIgnoreCase) == true ? EnvelopeMessageTypes(body.Span) : [];
        if (types.Count == 0 && (Header("MT-MessageType") ?? Header("MT-Fault-MessageType")) is { Length: > 0 } single)
        {
            types = [.. single.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        }

        return new FaultedMessage(
            properties.MessageId,
            types,
            queue.ReceiveQueue,
            DateTimeOffset.TryParse(Header("MT-Fault-Timestamp"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at.ToUniversalTime() : null,
            Header("MT-Reason"),
            Header("MT-Fault-ExceptionType"),
            Header("MT-Fault-Message"),
            redelivered);
    }

    private static string? Text(object? value) => value switch
    {
        null => null,
        byte[] bytes => Encoding.UTF8.GetString(bytes),
        AmqpTimestamp timestamp => DateTimeOffset.FromUnixTimeSeconds(timestamp.UnixTime).ToString("O", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    /// <summary>The top-level "messageType" array of a MassTransit JSON envelope; nothing else of the body is looked at.</summary>
    private static List<string> EnvelopeMessageTypes(ReadOnlySpan<byte> body)
    {
        var types = new List<string>();
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return types;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isMessageType = reader.ValueTextEquals("messageType"u8);
                reader.Read();
                if (isMessageType && reader.TokenType == JsonTokenType.StartArray)
                {
                    while (reader.Read() && reader.TokenType == JsonTokenType.String)
                    {
                        types.Add(reader.GetString()!);
                    }

                    return types;
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
            // Not an envelope after all: no type to show.
        }

        return types;
    }
}
