using System.Text.Json;
using System.Text.Json.Serialization;

namespace HcsLicensing.SmartAccountSync.Cssm;

/// <summary>
/// Source-generated JSON for Refit's generated clients (camelCase, case-insensitive like swapi's clients): no reflection,
/// and the 10,000-VA list parses fast.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(CssmAccessToken))]
[JsonSerializable(typeof(CssmOAuthError))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(SwapiAccounts))]
[JsonSerializable(typeof(SwapiVirtualAccounts))]
[JsonSerializable(typeof(SwapiTokens))]
[JsonSerializable(typeof(SwapiNewToken))]
[JsonSerializable(typeof(SwapiCreatedToken))]
[JsonSerializable(typeof(SwapiLicensesQuery))]
[JsonSerializable(typeof(SwapiLicenses))]
[JsonSerializable(typeof(SwapiDevicesQuery))]
[JsonSerializable(typeof(SwapiDevices))]
public sealed partial class CssmJsonContext : JsonSerializerContext;
