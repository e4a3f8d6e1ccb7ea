namespace HcsLicensing.Contracts.Audit;

/// <summary>
/// A service's configuration changed (a smart account connected, transport settings saved, a cluster added, changed or
/// removed in the inventory): published through the service's transactional outbox with the change itself, so that
/// JobTracker's audit trail lists who did it and when. Never carries a secret: say "credentials replaced", not which.
/// </summary>
public sealed record ConfigurationChanged
{
    /// <summary>The service whose configuration changed, e.g. "Chpa", "SmartAccountSync".</summary>
    public required string Service { get; init; }

    /// <summary>What kind of thing changed, e.g. "Cluster", "Smart Account", "Transport Settings".</summary>
    public required string EntityType { get; init; }

    /// <summary>Which one, e.g. "cl1-alfa" or "hcs-demo.example.com" ("(default)" for suite-wide settings).</summary>
    public required string EntityName { get; init; }

    /// <summary>What was done, in words for the operator, e.g. "Cluster added (CUCM 12.5, publisher 10.0.0.1)".</summary>
    public required string Change { get; init; }

    /// <summary>Who did it: the HTTP caller's identity (CallerIdentity).</summary>
    public required string ChangedBy { get; init; }

    /// <summary>When it was stored.</summary>
    public required DateTimeOffset ChangedAt { get; init; }
}
