using System.Text.Json.Serialization;

namespace HcsLicensing.SmartAccountSync.Cssm;

// swapi's payloads as far as SmartAccountSync reads them; unknown fields are ignored, so richer real answers parse too.

public sealed record SwapiAccounts(IReadOnlyList<SwapiAccount>? Accounts, string? Status, string? StatusMessage);

public sealed record SwapiAccount(string AccountName, string AccountDomain, string? AccountType, string? AccountStatus);

public sealed record SwapiVirtualAccounts(IReadOnlyList<SwapiVirtualAccount>? VirtualAccounts, string? Status, string? StatusMessage);

/// <summary>
/// A VA. <c>satelliteSynced</c> is the field agreed with our CSSM simulator (Cisco's public payload has none): absent
/// on the real service, where it reads as false.
/// </summary>
public sealed record SwapiVirtualAccount(
    string Name,
    string? Description,
    [property: JsonConverter(typeof(QuotedBooleanConverter))] bool IsDefault,
    string? CommerceAccessLevel,
    [property: JsonConverter(typeof(QuotedBooleanConverter))] bool SatelliteSynced);

public sealed record SwapiTokens(IReadOnlyList<SwapiToken>? Tokens, string? Status, string? StatusMessage);

public sealed record SwapiToken(string Token, string? Description, string? ExpirationDate, string? ExportControlled, string? Status);

public sealed record SwapiNewToken(string Description, int ExpiresAfterDays, string ExportControlled);

public sealed record SwapiCreatedToken(string? Status, string? StatusMessage, SwapiToken? TokenInfo);

/// <summary>The license report's query: the VAs (none: all of the smart account) and the page.</summary>
public sealed record SwapiLicensesQuery(IReadOnlyList<string> VirtualAccounts, int Limit, int Offset);

/// <summary>A page of the license report; "no data" parses as no licenses and totalRecords 0.</summary>
public sealed record SwapiLicenses(int TotalRecords, IReadOnlyList<SwapiLicense>? Licenses, string? Status, string? StatusMessage);

/// <summary>A license line of a VA as CSSM reports it (the fields SmartAccountSync keeps).</summary>
public sealed record SwapiLicense(
    string? License,
    string? VirtualAccount,
    int Quantity,
    int InUse,
    int Available,
    int Reserved,
    int PendingQuantity,
    string? Status,
    string? BillingType,
    IReadOnlyList<SwapiLicenseDetail>? LicenseDetails);

/// <summary>A purchase (subscription) of the license; CSSM sends null dates and id for a perpetual one.</summary>
public sealed record SwapiLicenseDetail(string? LicenseType, int Quantity, string? StartDate, string? EndDate, string? SubscriptionId, string? Status);

/// <summary>The product instance search's query: the VAs (none: all of the smart account) and the page.</summary>
public sealed record SwapiDevicesQuery(IReadOnlyList<string> VirtualAccounts, int Limit, int Offset);

/// <summary>A page of product instances; "no data" parses as none and totalRecords 0.</summary>
public sealed record SwapiDevices(int TotalRecords, IReadOnlyList<SwapiDevice>? Devices, string? Status, string? StatusMessage);

/// <summary>A product instance as the search lists it (inferred fields, docs/cssm-simulator.md).</summary>
public sealed record SwapiDevice(
    string? ProductInstanceId,
    string? ProductInstanceName,
    string? ProductType,
    string? SoftwareVersion,
    string? VirtualAccount,
    string? RegistrationDate,
    string? LastContactDate,
    string? Status);
