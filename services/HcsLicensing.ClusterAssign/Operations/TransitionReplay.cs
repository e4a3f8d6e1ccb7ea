using System.Text.Json;
using System.Text.Json.Serialization;

namespace HcsLicensing.ClusterAssign.Operations;

/// <summary>
/// Closes the in-memory outbox's window for this saga: a transition's messages leave only after its row is committed,
/// so a crash in between would redeliver the message to a row that has already moved on; the flow would then see a
/// stale answer and send nothing, and the job would wait for its deadline. So each transition keeps, in the row,
/// the id of the message it handled and what it sent; the same message again sends the same messages again
/// (at least once, as everything here) instead of deciding anew.
/// </summary>
public static class TransitionReplay
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>What this message sent last time, if the row's last transition was this message.</summary>
    public static IReadOnlyList<Outgoing>? Recall(ClusterOperationState s, Guid? messageId)
    {
        if (messageId is null || s.LastMessageId != messageId || s.LastOutgoing is null)
        {
            return null;
        }

        return JsonSerializer.Deserialize<List<Stored>>(s.LastOutgoing, Json)!
            .Select(m => new Outgoing(m.To, JsonSerializer.Deserialize(m.Body.GetRawText(), TypeOf(m.Type), Json)!))
            .ToList();
    }

    /// <summary>Notes in the row that <paramref name="messageId"/> made this transition and sent <paramref name="output"/>.</summary>
    public static void Remember(ClusterOperationState s, Guid? messageId, IReadOnlyList<Outgoing> output)
    {
        s.LastMessageId = messageId;
        s.LastOutgoing = JsonSerializer.Serialize(
            output.Select(o => new Stored(o.To, o.Message.GetType().FullName!, JsonSerializer.SerializeToElement(o.Message, o.Message.GetType(), Json))).ToList(),
            Json);
    }

    // Only the suite's own message types: a row is never a way to instantiate anything else.
    private static Type TypeOf(string name) =>
        typeof(Contracts.ClusterAssignments.ClusterAssignmentResp).Assembly.GetType(name)
        ?? typeof(TransitionReplay).Assembly.GetType(name)
        ?? throw new InvalidOperationException($"{name} is not a message type of the suite");

    private sealed record Stored(Destination To, string Type, JsonElement Body);
}
