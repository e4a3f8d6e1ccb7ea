namespace HcsLicensing.Chpa.Registration;

/// <summary>
/// A RegisterClusterRequest waiting for its cluster's publisher to restart: whom to answer (request id, response
/// address) and until when. Polled with scheduled messages; deleted in the transaction that answers it. It survives
/// a restart of CHPA, which is why it is a row and not a task in memory.
/// </summary>
public sealed class RegistrationWait
{
    /// <summary>The request's RequestId (or MessageId), so that a redelivered request finds its wait instead of adding one.</summary>
    public Guid Id { get; set; }

    public string ClusterName { get; set; } = "";

    public string? SessionId { get; set; }

    public Guid? RequestId { get; set; }

    public string? ResponseAddress { get; set; }

    public Guid? ConversationId { get; set; }

    /// <summary>True when CHPA does not know whether the publisher received the register (timeout, dropped connection).</summary>
    public bool OutcomeUnknown { get; set; }

    /// <summary>Why the outcome is unknown (the register's failure), reported if the publisher turns out never to have registered.</summary>
    public string? UnknownCause { get; set; }

    /// <summary>The token of the one poll that may act next; a duplicate or stale poll carries another and is ignored.</summary>
    public Guid PollToken { get; set; }

    public int Polls { get; set; }

    /// <summary>The last thing a poll saw, e.g. "Inprogress" or "Restarting", for operators.</summary>
    public string? LastSeen { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset Deadline { get; set; }
}
