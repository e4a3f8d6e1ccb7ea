namespace HcsLicensing.JobTracker.Audit;

/// <summary>
/// One line of the audit trail: who did what to which entity, when. Written by <see cref="AuditTrailConsumer"/> from
/// the suite's messages (a job started, restarted or asked to cancel; a configuration changed), never from a secret.
/// </summary>
public sealed class AuditEntry
{
    public long Id { get; set; }

    /// <summary>When it was done (the publisher's time, UTC).</summary>
    public DateTimeOffset At { get; set; }

    /// <summary>Who did it: a caller's identity, or what acted on its own ("Periodic"); "(unknown)" when the publisher did not say.</summary>
    public string Actor { get; set; } = "";

    /// <summary>What was done, e.g. "Job started", "Job restarted", "Configuration changed".</summary>
    public string Action { get; set; } = "";

    /// <summary>The service that did it: a job's owner or the service whose configuration changed (null when unknown).</summary>
    public string? Service { get; set; }

    /// <summary>e.g. "Cluster", "Smart Account", "Transport Settings".</summary>
    public string EntityType { get; set; } = "";

    /// <summary>e.g. "cl1-alfa".</summary>
    public string EntityName { get; set; } = "";

    /// <summary>The operator's words for it, e.g. the job's description or the change.</summary>
    public string Detail { get; set; } = "";

    /// <summary>The job it concerns, if any (the console links to it).</summary>
    public Guid? JobId { get; set; }

    /// <summary>What the entry was made from ("job:{id}:started", a message id): a redelivered message adds nothing.</summary>
    public string SourceKey { get; set; } = "";
}
