namespace HcsLicensing.ServiceDefaults.Outbox;

/// <summary>
/// The outbox rows this dispatcher's recent passes took, by sequence number, so that a notification for rows already
/// taken wakes no pass. Each commit that adds rows notifies once, with its highest sequence number as the payload
/// (<see cref="OutboxModel.NotificationSql"/>); under load one pass takes the rows of several commits, and the
/// notifications of the others used to wake a pass each that found nothing (a read-only transaction per wake-up).
/// A commit's rows become visible together, so when its highest row was taken, every row of it that was due was too;
/// one not yet due is covered by the pass's next due time. Bounded: the oldest numbers are forgotten first, and a
/// forgotten or unreadable payload costs one pass, as before.
/// </summary>
public sealed class TakenRows(int capacity = 4096)
{
    private readonly HashSet<long> taken = [];
    private readonly Queue<long> order = new();
    private readonly Lock gate = new();

    /// <summary>Remembers the rows a pass took (sent, or set back for later: either way not waiting for a wake-up).</summary>
    public void Add(IEnumerable<long> sequenceNumbers)
    {
        lock (gate)
        {
            AddLocked(sequenceNumbers);
        }
    }

    private void AddLocked(IEnumerable<long> sequenceNumbers)
    {
        foreach (var number in sequenceNumbers)
        {
            if (!taken.Add(number))
            {
                continue;
            }

            order.Enqueue(number);
            if (order.Count > capacity)
            {
                taken.Remove(order.Dequeue());
            }
        }
    }

    /// <summary>Whether every notification names a commit whose rows a pass already took; false for none or one unreadable.</summary>
    public bool CoverAll(IReadOnlyCollection<string> payloads)
    {
        lock (gate)
        {
            return payloads.Count > 0 && payloads.All(payload =>
                long.TryParse(payload, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var highest) && taken.Contains(highest));
        }
    }
}
