using HcsLicensing.ServiceDefaults.Retention;

namespace HcsLicensing.ServiceDefaults.Outbox;

/// <summary>The retention of the outbox's and inbox's own rows, in every service that has them (docs/reliability.md).</summary>
public static class OutboxRetention
{
    /// <summary>A consumed message's id is remembered to recognise a redelivery; a day is far beyond any broker's redelivery.</summary>
    public static readonly RetentionRule InboxMessages = new("InboxMessages", OutboxModel.InboxTable, "received_at < {0}", TimeSpan.FromDays(1));

    /// <summary>A cancellation that never met its schedule (the cancel came first) is kept a while for the schedule it waits for.</summary>
    public static readonly RetentionRule CancelledMessages = new("CancelledOutboxMessages", OutboxModel.OutboxTable, "cancelled AND created_at < {0}", TimeSpan.FromDays(1));

    /// <summary>A message set aside after too many failed sends stays for an operator to read.</summary>
    public static readonly RetentionRule DeadMessages = new("DeadOutboxMessages", OutboxModel.OutboxTable, "dead_at < {0}", TimeSpan.FromDays(30));

    public static readonly RetentionRule[] Rules = [InboxMessages, CancelledMessages, DeadMessages];
}
