namespace HcsLicensing.SmartAccountSync.Sync;

/// <summary>
/// One sync of a smart account's VAs, keyed by its job id. A partial unique index allows one Running run per smart
/// account across every service instance: that row is the sync's lock, and a second request joins it.
/// </summary>
public sealed class SyncRun
{
    public const string Running = "Running";
    public const string Succeeded = "Succeeded";
    public const string Failed = "Failed";
    public const string Canceled = "Canceled";

    public Guid JobId { get; set; }

    public Guid SmartAccountId { get; set; }

    /// <summary>The job's run: 1, then one more for each restart from JobTracker (the same row runs again).</summary>
    public int Attempt { get; set; } = 1;

    /// <summary>JobTracker passed on an operator's cancel: the instance running the sync stops it at its next check.</summary>
    public bool CancelRequested { get; set; }

    /// <summary>Who asked for the cancel, for the job's record.</summary>
    public string? CancelRequestedBy { get; set; }

    /// <summary>What started it: Configuration, Http, Message, Periodic.</summary>
    public string Trigger { get; set; } = "";

    public string Status { get; set; } = Running;

    public DateTimeOffset StartedAt { get; set; }

    /// <summary>Moved on at every step; a Running run without progress for long is taken for abandoned (its instance died).</summary>
    public DateTimeOffset HeartbeatAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    public int VirtualAccounts { get; set; }

    public int Added { get; set; }

    public int Updated { get; set; }

    public int Removed { get; set; }

    public int SkippedSatellite { get; set; }

    public string? Error { get; set; }
}
