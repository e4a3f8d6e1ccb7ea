using System.Text.Json.Serialization;

namespace HcsLicensing.CssmSimulator.Swapi;

// swapi's JSON, field for field as Cisco's public clients read it (camelCase; booleans of the VA list as quoted strings).

public sealed record AccountsResponse(IReadOnlyList<AccountEntry> Accounts, string Status, string StatusMessage);

public sealed record AccountEntry(string AccountName, string AccountDomain, string AccountType, string AccountStatus, IReadOnlyList<RoleEntry> Roles);

public sealed record RoleEntry(string Role, string? VirtualAccount = null);

public sealed record SearchResponse(int TotalRecords, IReadOnlyList<SearchEntry> Accounts, string Status, string StatusMessage);

public sealed record SearchEntry(string Domain, string Name, int Id, string Type, string Status);

public sealed record VirtualAccountsResponse(IReadOnlyList<VirtualAccountEntry> VirtualAccounts, string Status, string StatusMessage);

/// <summary>
/// One VA. <c>isDefault</c> is "true"/"false" as a string, as in the real API. <c>satelliteSynced</c> is the
/// simulator's own field (the public payload has none; see docs/cssm-simulator.md), a quoted boolean in the same style.
/// </summary>
public sealed record VirtualAccountEntry(string Name, string Description, string IsDefault, string CommerceAccessLevel, string SatelliteSynced);

public sealed record TokensResponse(IReadOnlyList<TokenEntry> Tokens, string Status, string StatusMessage);

public sealed record TokenEntry(
    string Token,
    string Description,
    string CreatedBy,
    string CreationDate,
    string ExpirationDate,
    string ExportControlled,
    string Status,
    string VirtualAccount);

public sealed record CreateTokenRequest(string? Description, int? ExpiresAfterDays, string? ExportControlled);

public sealed record CreateTokenResponse(string Status, string StatusMessage, TokenEntry TokenInfo);

public sealed record LicensesRequest(IReadOnlyList<string>? VirtualAccounts, int? Limit, int? Offset);

public sealed record LicensesResponse(int TotalRecords, IReadOnlyList<LicenseEntry> Licenses, string Status, string StatusMessage);

/// <summary>
/// A license line with every key Cisco's public clients index (they break on a missing one): the nullable strings are
/// written as null, not left out as the simulator's other answers leave nulls out.
/// </summary>
public sealed record LicenseEntry(
    string License,
    string VirtualAccount,
    int Quantity,
    int InUse,
    int Available,
    int Reserved,
    int PendingQuantity,
    string Status,
    string BillingType,
    bool AhaApps,
    bool IsPortable,
    IReadOnlyList<LicenseSubstitutionEntry> LicenseSubstitutions,
    IReadOnlyList<LicenseDetailEntry> LicenseDetails);

/// <summary>One purchase of the license: TERM, PERPETUAL, DEMO...; dates yyyy-MM-dd, null (with the id) for a perpetual one.</summary>
public sealed record LicenseDetailEntry(
    string LicenseType,
    int Quantity,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? StartDate,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? EndDate,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? SubscriptionId,
    string Status);

/// <summary>A substitution (a higher tier used in place of a lower one); the simulator has none, the key is always there.</summary>
public sealed record LicenseSubstitutionEntry(string LicenseName, string SubstitutedLicense, int SubstitutedQuantity, string SubstitutionType);

public sealed record DevicesRequest(IReadOnlyList<string>? VirtualAccounts, int? Limit, int? Offset);

public sealed record DevicesResponse(int TotalRecords, IReadOnlyList<DeviceEntry> Devices, string Status, string StatusMessage);

/// <summary>
/// One product instance (a "device" in swapi's words). Cisco publishes no field list for it: these names are the
/// simulator's choice (docs/cssm-simulator.md), dates as ISO 8601 instants like the token list's.
/// </summary>
public sealed record DeviceEntry(
    string ProductInstanceId,
    string ProductInstanceName,
    string ProductType,
    string SoftwareVersion,
    string VirtualAccount,
    string RegistrationDate,
    string LastContactDate,
    string Status);

/// <summary>An error body beside the data-less answers: {"status":"ERROR","statusMessage":"..."}.</summary>
public sealed record StatusResponse(string Status, string StatusMessage);

/// <summary>swapi's "nothing matched" answer, with its snake_case field as Cisco sends it.</summary>
public sealed record NoDataResponse(
    string Status,
    [property: JsonPropertyName("message_code")] string MessageCode,
    string Message)
{
    public static readonly NoDataResponse Instance = new("COMPLETE", "NO DATA FOUND", "No matching record found for given input");
}
