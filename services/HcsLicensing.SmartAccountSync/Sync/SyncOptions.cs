namespace HcsLicensing.SmartAccountSync.Sync;

/// <summary>When VAs are synced besides on configuration and on demand ("Sync" section).</summary>
public sealed class SyncOptions
{
    public const string Section = "Sync";

    /// <summary>Each smart account is synced again once its last sync started this long ago; zero turns periodic syncs off.</summary>
    public TimeSpan Period { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often each instance looks for smart accounts due for a periodic sync.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often a running sync looks whether it was asked to cancel (the request may reach another instance).</summary>
    public TimeSpan CancelCheckInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>A running sync whose heartbeat is older than this is taken for abandoned (its instance died) and may be replaced.</summary>
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromMinutes(10);
}
