using System.Text.Json.Serialization;

namespace HcsLicensing.CssmSimulator.OAuth;

/// <summary>The token endpoint's answer: {"access_token","token_type":"Bearer","expires_in":3599}.</summary>
public sealed record TokenResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("expires_in")] int ExpiresIn);

/// <summary>An RFC 6749 error body, also used by swapi for a refused bearer token.</summary>
public sealed record OAuthError(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("error_description")] string ErrorDescription);
