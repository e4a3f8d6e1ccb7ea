namespace HcsLicensing.SmartAccountSync.Licenses;

/// <summary>
/// A license of a virtual account as CSSM reported it at the last sync (a sync makes a smart account's lines
/// equal CSSM's report): purchased, in use, the balance (negative when short), reserved, pending, CSSM's status ("In Compliance",
/// "Insufficient Licenses", ...) and billing type, with the subscriptions the quantity was bought in.
/// </summary>
public sealed class LicenseLine
{
    public long Id { get; set; }

    public Guid SmartAccountId { get; set; }

    /// <summary>The VA's name as CSSM spells it.</summary>
    public string VirtualAccount { get; set; } = "";

    public string License { get; set; } = "";

    public int Quantity { get; set; }

    public int InUse { get; set; }

    /// <summary>CSSM's balance: purchased less in use.</summary>
    public int Available { get; set; }

    public int Reserved { get; set; }

    public int PendingQuantity { get; set; }

    public string Status { get; set; } = "";

    /// <summary>PREPAID or USAGE.</summary>
    public string BillingType { get; set; } = "";

    /// <summary>CSSM's licenseDetails, kept as one JSON document: always read with their line.</summary>
    public List<LicenseSubscription> Subscriptions { get; set; } = [];

    /// <summary>A hash of the line's content (<see cref="LicenseLineStore.ContentHash"/>): a re-sync rewrites only lines whose hash changed.</summary>
    public long ContentHash { get; set; }

    /// <summary>The sync that last wrote the line (a line CSSM reports unchanged is not rewritten).</summary>
    public DateTimeOffset SyncedAt { get; set; }
}

/// <summary>A purchase of a license: TERM, PERPETUAL, DEMO...; a perpetual one has no dates and no subscription id.</summary>
public sealed record LicenseSubscription(string LicenseType, int Quantity, DateOnly? StartDate, DateOnly? EndDate, string? SubscriptionId, string Status);
