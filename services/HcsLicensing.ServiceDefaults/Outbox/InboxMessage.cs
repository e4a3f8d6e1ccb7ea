namespace HcsLicensing.ServiceDefaults.Outbox;

/// <summary>
/// A message a consumer has handled, recorded in the same transaction as what it changed: the same message again
/// (a redelivery after a crash, a broker's duplicate) is acknowledged without running the consumer twice.
/// </summary>
public sealed class InboxMessage
{
    public Guid MessageId { get; set; }

    /// <summary>MassTransit's id of the consumer or saga on its queue, so that two consumers of one message each run once.</summary>
    public Guid ConsumerId { get; set; }

    public DateTime ReceivedAt { get; set; }
}
