using System.Text.Json.Serialization;

namespace HcsLicensing.SmartAccountSync.Licenses;

/// <summary>GET /virtual-accounts/{domain}/{virtualAccount}/licenses: a VA's licenses as of the smart account's last sync.</summary>
public sealed record VirtualAccountLicensesDto(string Domain, string VirtualAccount, DateTimeOffset? SyncedAt, IReadOnlyList<LicenseDto> Licenses);

public sealed record LicenseDto(
    string License,
    int Quantity,
    int InUse,
    int Available,
    int Reserved,
    int PendingQuantity,
    string Status,
    string BillingType,
    IReadOnlyList<LicenseSubscriptionDto> Subscriptions);

/// <summary>Dates as yyyy-MM-dd; null dates and id for a perpetual purchase.</summary>
public sealed record LicenseSubscriptionDto(string LicenseType, int Quantity, DateOnly? StartDate, DateOnly? EndDate, string? SubscriptionId, string Status);

/// <summary>GET /licenses/summary: every VA's licenses, those short and the subscriptions that end soon.</summary>
public sealed record LicenseSummaryDto(
    string Domain,
    DateTimeOffset? SyncedAt,
    IReadOnlyList<VirtualAccountUsageDto> VirtualAccounts,
    [property: JsonPropertyName("short")] IReadOnlyList<ShortLicenseDto> ShortLicenses,
    IReadOnlyList<ExpiringSubscriptionDto> Expiring);

public sealed record VirtualAccountUsageDto(string VirtualAccount, IReadOnlyList<LicenseUsageDto> Licenses);

public sealed record LicenseUsageDto(string License, int Quantity, int InUse, int Available, string Status);

public sealed record ShortLicenseDto(string VirtualAccount, string License, int Quantity, int InUse, int Available, string Status);

public sealed record ExpiringSubscriptionDto(string VirtualAccount, string License, string? SubscriptionId, int Quantity, DateOnly EndDate, int DaysLeft);
