namespace HcsLicensing.CssmSimulator.State;

/// <summary>A smart account held by the simulator; its virtual accounts keep the order they were created in.</summary>
public sealed class SimSmartAccount(int id, string domain, string name, string accountType)
{
    public int Id { get; } = id;

    public string Domain { get; } = domain;

    public string Name { get; } = name;

    /// <summary>CUSTOMER or HOLDING.</summary>
    public string AccountType { get; } = accountType;

    /// <summary>By name (case-insensitive, as CSSM treats names), in creation order for listing.</summary>
    public Dictionary<string, SimVirtualAccount> VirtualAccounts { get; } = new(StringComparer.OrdinalIgnoreCase);

    public List<SimVirtualAccount> Ordered { get; } = [];
}

/// <summary>A virtual account: what swapi lists, plus the simulator's satellite flag, licenses and devices.</summary>
public sealed class SimVirtualAccount(string name, string description, bool isDefault, string commerceAccessLevel, bool satelliteSynced)
{
    public string Name { get; } = name;

    public string Description { get; set; } = description;

    public bool IsDefault { get; } = isDefault;

    /// <summary>PUBLIC or PRIVATE.</summary>
    public string CommerceAccessLevel { get; set; } = commerceAccessLevel;

    /// <summary>Synced through a satellite (HCM-F ignores such VAs).</summary>
    public bool SatelliteSynced { get; set; } = satelliteSynced;

    public List<SimLicense> Licenses { get; } = [];

    public List<SimRegistrationToken> Tokens { get; } = [];
}

/// <summary>
/// One license of a virtual account, as CSSM's usage report lists it. What it holds is what was bought (its
/// subscriptions) and what devices outside the simulator use (<see cref="BaseInUse"/>); the product instances registered
/// in the VA add to its in-use count when the report is read (<see cref="CssmStore.Licenses"/>).
/// </summary>
public sealed record SimLicense(
    string License,
    string BillingType,
    int BaseInUse,
    int Reserved,
    int PendingQuantity,
    IReadOnlyList<SimSubscription> Subscriptions);

/// <summary>
/// A purchase of a license (licenseDetails in the report): TERM, PERPETUAL, DEMO...; a perpetual one has no dates and no
/// subscription id, as CSSM sends them (null).
/// </summary>
public sealed record SimSubscription(string LicenseType, int Quantity, DateOnly? StartDate, DateOnly? EndDate, string? SubscriptionId);

/// <summary>A registration (ID) token created in a virtual account.</summary>
public sealed record SimRegistrationToken(
    string Token,
    string Domain,
    string VirtualAccount,
    string Description,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    string ExportControlled);

/// <summary>A UC application registered into a virtual account with a registration token.</summary>
public sealed record SimProductInstance(
    Guid ProductInstanceId,
    string ProductInstanceName,
    string ProductType,
    string Version,
    string Domain,
    string VirtualAccount,
    DateTimeOffset RegisteredAt)
{
    /// <summary>When it last contacted CSSM: its registration, unless a test moved it back (an instance gone quiet).</summary>
    public DateTimeOffset LastContactAt { get; init; } = RegisteredAt;
}

/// <summary>A bearer token issued by the OAuth2 endpoint.</summary>
public sealed record SimAccessToken(string Token, string ClientId, DateTimeOffset ExpiresAt);
