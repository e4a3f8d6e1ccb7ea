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
