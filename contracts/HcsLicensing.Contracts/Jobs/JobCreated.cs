namespace HcsLicensing.Contracts.Jobs;

/// <summary>
/// Published by the service that runs an operation when it starts it: JobTracker records the job
/// with every step Not Started. A job listed before it starts is announced with <see cref="Queued"/> first.
/// </summary>
public sealed record JobCreated
{
    /// <summary>The job's id; every later event of the job carries it.</summary>
    public required Guid JobId { get; init; }

    /// <summary>HCM-F's job type, "Provisioning" for cluster operations and syncs.</summary>
    public string JobType { get; init; } = "Provisioning";

    /// <summary>HCM-F's entity type: "Cluster" for cluster operations (the entity name is the cluster's), "Smart Account" (the default) for syncs.</summary>
    public string EntityType { get; init; } = "Smart Account";

    /// <summary>The entity the job works on, e.g. the smart account's name.</summary>
    public required string EntityName { get; init; }

    /// <summary>What the job does, e.g. "Assignment of Cluster cl1-alfa to HCS-DEMO started".</summary>
    public required string Description { get; init; }

    /// <summary>The job's steps in the order they run, e.g. Verification, License Mode Change, ...</summary>
    public required IReadOnlyList<string> Steps { get; init; }

    /// <summary>Whether an operator may cancel the job now.</summary>
    public bool IsCancelable { get; init; }

    /// <summary>When the operation started (for a queued job: when it was asked for).</summary>
    public required DateTimeOffset InitiatedAt { get; init; }

    /// <summary>
    /// True when the job is listed ahead of its start (a batch lists all its jobs at once, then runs them lane by
    /// lane): a second JobCreated follows when it starts, and its description and start time replace these.
    /// </summary>
    public bool Queued { get; init; }

    /// <summary>
    /// Who asked for the operation, for the audit: the HTTP caller (the token's subject or client id), the
    /// requester's own <c>RequestedBy</c> for a request sent as a message, or what started it on its own ("Periodic").
    /// Optional: owners that do not say leave the job's requestedBy empty.
    /// </summary>
    public string? RequestedBy { get; init; }
}
