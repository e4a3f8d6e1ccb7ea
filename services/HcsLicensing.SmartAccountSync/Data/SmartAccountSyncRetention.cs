using HcsLicensing.ServiceDefaults.Retention;

namespace HcsLicensing.SmartAccountSync.Data;

/// <summary>What SmartAccountSync keeps (docs/reliability.md, Retention).</summary>
public static class SmartAccountSyncRetention
{
    /// <summary>
    /// A finished sync run goes 30 days after it finished, unless it is its smart account's newest (the account's
    /// "last sync" on the API); a running one is the account's sync lock and is never pruned.
    /// </summary>
    public static readonly RetentionRule SyncRuns = new(
        "SyncRuns",
        "sync_runs",
        "status <> 'Running' AND finished_at < {0} AND EXISTS (SELECT 1 FROM sync_runs AS newer WHERE newer.smart_account_id = sync_runs.smart_account_id AND newer.started_at > sync_runs.started_at)",
        TimeSpan.FromDays(30));

    /// <summary>
    /// A registration token is only handed out again while it has RegistrationTokens:MinimumRemaining left and nothing else refers to
    /// the row, so it goes once expired (the minute's grace keeps the setting's zero meaning "forever").
    /// </summary>
    public static readonly RetentionRule ExpiredRegistrationTokens = new("ExpiredRegistrationTokens", "registration_tokens", "expires_at < {0}", TimeSpan.FromMinutes(1));

    public static readonly RetentionRule[] Rules = [SyncRuns, ExpiredRegistrationTokens];
}
