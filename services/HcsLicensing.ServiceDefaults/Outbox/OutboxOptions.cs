namespace HcsLicensing.ServiceDefaults.Outbox;

/// <summary>How the outbox dispatcher and the inbox behave ("Outbox" configuration section).</summary>
public sealed class OutboxOptions
{
    public const string Section = "Outbox";

    /// <summary>
    /// How long a dispatcher waits for a commit's notification before it looks anyway: the latest a message can be
    /// when its notification was missed (a reconnecting listener), and how often scheduled messages falling due are checked
    /// when nothing else happens. A commit wakes every dispatcher at once.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest one send to the broker may take before its row is failed and tried again later.</summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Due messages one dispatcher takes and sends in one transaction.</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>
    /// Failed sends of one message (one that cannot be sent, such as an address the broker refuses, while others go)
    /// before it is set aside with its error; failures of every message at once (the broker away) are not counted.
    /// </summary>
    public int MaxAttempts { get; set; } = 10;

    // How long cancelled, set-aside and inbox rows are kept: Retention:Keep (OutboxRetention).
}
