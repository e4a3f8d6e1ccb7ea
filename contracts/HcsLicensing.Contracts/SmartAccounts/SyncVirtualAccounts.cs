namespace HcsLicensing.Contracts.SmartAccounts;

/// <summary>
/// Asks SmartAccountSync to fetch a smart account's virtual accounts from CSSM now. When a sync of that account is
/// already running, the request joins it instead of starting another.
/// </summary>
public sealed record SyncVirtualAccounts
{
    /// <summary>The smart account's domain.</summary>
    public required string SmartAccountDomain { get; init; }

    /// <summary>The job of a sync already claimed by SmartAccountSync itself; others leave it null.</summary>
    public Guid? JobId { get; init; }

    /// <summary>Who or what asks, for the job's record (optional).</summary>
    public string? RequestedBy { get; init; }
}
