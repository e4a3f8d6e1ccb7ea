using System.Text.Json.Serialization;

namespace HcsLicensing.SmartAccountSync.Cssm;

/// <summary>The token endpoint's answer (RFC 6749 5.1).</summary>
public sealed record CssmAccessToken(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("expires_in")] int ExpiresIn);

/// <summary>An OAuth error body (RFC 6749 5.2): e.g. invalid_client, "Invalid client or Invalid client credentials".</summary>
public sealed record CssmOAuthError(
    [property: JsonPropertyName("error")] string? Error,
    [property: JsonPropertyName("error_description")] string? ErrorDescription);
