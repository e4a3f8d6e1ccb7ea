namespace HcsLicensing.Console.SuiteApis;

/// <summary>SmartAccountSync: smart accounts (the client secret write-only), sync now, virtual accounts, transport settings, license usage.</summary>
public sealed class SmartAccountSyncApi(HttpClient http, OperatorToken token) : SuiteApiClient(http, token)
{
    public Task<ListPage<SmartAccount>> SmartAccountsAsync(CancellationToken cancellationToken = default) =>
        GetAsync<ListPage<SmartAccount>>("smart-accounts?pageSize=500", cancellationToken);

    public Task<SmartAccountConfigured> ConfigureAsync(string domain, string clientId, string clientSecret, CancellationToken cancellationToken = default) =>
        SendAsync<SmartAccountConfigured>(HttpMethod.Post, "smart-accounts", new { domain, clientId, clientSecret }, cancellationToken);

    public Task<SyncRequested> SyncNowAsync(Guid smartAccountId, CancellationToken cancellationToken = default) =>
        SendAsync<SyncRequested>(HttpMethod.Post, $"smart-accounts/{smartAccountId}/sync", null, cancellationToken);

    public Task<ListPage<VirtualAccount>> VirtualAccountsAsync(string? name, string? smartAccount, int page = 1, int pageSize = 50, CancellationToken cancellationToken = default) =>
        GetAsync<ListPage<VirtualAccount>>(Query.Of("virtual-accounts", ("name", name), ("smartAccount", smartAccount), ("page", page.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("pageSize", pageSize.ToString(System.Globalization.CultureInfo.InvariantCulture))), cancellationToken);

    public Task<TransportSettings> TransportSettingsAsync(CancellationToken cancellationToken = default) =>
        GetAsync<TransportSettings>("transport-settings", cancellationToken);

    public Task<TransportSettings> SaveTransportSettingsAsync(TransportSettings settings, CancellationToken cancellationToken = default) =>
        SendAsync<TransportSettings>(HttpMethod.Put, "transport-settings", settings, cancellationToken);

    public Task<VirtualAccountLicenses?> LicensesAsync(string domain, string virtualAccount, CancellationToken cancellationToken = default) =>
        GetOrNullAsync<VirtualAccountLicenses>($"virtual-accounts/{Query.Segment(domain)}/{Query.Segment(virtualAccount)}/licenses", cancellationToken);

    public Task<LicenseSummary?> LicenseSummaryAsync(string domain, int expiringWithinDays, CancellationToken cancellationToken = default) =>
        GetOrNullAsync<LicenseSummary>(Query.Of("licenses/summary", ("domain", domain), ("expiringWithinDays", expiringWithinDays.ToString(System.Globalization.CultureInfo.InvariantCulture))), cancellationToken);
}

/// <summary>A row of the Smart Account Summary (no secret: it is write-only).</summary>
public sealed record SmartAccount(
    Guid Id, string Domain, string Name, string AccountType, string ClientId, DateTimeOffset ConfiguredAt, int VirtualAccounts,
    int SatelliteVirtualAccountsIgnored, DateTimeOffset? LastSyncedAt, SyncRun? LastSync);

/// <summary>A sync run (a job).</summary>
public sealed record SyncRun(
    Guid JobId, string Status, string Trigger, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, int VirtualAccounts, int Added, int Updated, int Removed,
    int SkippedSatellite, string? Error, int Attempt);

public sealed record SmartAccountConfigured(SmartAccount SmartAccount, Guid SyncJobId);

public sealed record SyncRequested(Guid JobId, bool Joined);

/// <summary>A row of the Virtual Account Summary.</summary>
public sealed record VirtualAccount(
    Guid Id, string Name, string Description, string SmartAccountName, string SmartAccountDomain, string AccessLevel, bool IsDefault,
    DateTimeOffset FirstSyncedAt, DateTimeOffset UpdatedAt);

/// <summary>Transport towards CSSM; the proxy password is write-only (sent, never answered).</summary>
public sealed record TransportSettings(
    string? Mode, string? ProxyHost, int? ProxyPort, string? AuthenticationGateway, string? CssmServer, string? ProxyUser = null, string? ProxyPassword = null);

/// <summary>GET /virtual-accounts/{domain}/{va}/licenses.</summary>
public sealed record VirtualAccountLicenses(string Domain, string VirtualAccount, DateTimeOffset? SyncedAt, IReadOnlyList<LicenseLine> Licenses);

public sealed record LicenseLine(
    string License, long Quantity, long InUse, long Available, long Reserved, long PendingQuantity, string? Status, string? BillingType,
    IReadOnlyList<LicenseSubscription>? Subscriptions);

public sealed record LicenseSubscription(string? LicenseType, long Quantity, string? StartDate, string? EndDate, string? SubscriptionId, string? Status);

/// <summary>GET /licenses/summary: per VA, the short lines and what expires soon.</summary>
public sealed record LicenseSummary(
    string Domain, DateTimeOffset? SyncedAt, IReadOnlyList<VirtualAccountUsage> VirtualAccounts, [property: System.Text.Json.Serialization.JsonPropertyName("short")] IReadOnlyList<ShortLicense> ShortLicenses, IReadOnlyList<ExpiringLicense> Expiring);

public sealed record VirtualAccountUsage(string VirtualAccount, IReadOnlyList<LicenseUsage> Licenses);

public sealed record LicenseUsage(string License, long Quantity, long InUse, long Available, string? Status);

public sealed record ShortLicense(string VirtualAccount, string License, long Quantity, long InUse, long Available, string? Status);

public sealed record ExpiringLicense(string VirtualAccount, string License, string? SubscriptionId, long Quantity, string? EndDate, int DaysLeft);
