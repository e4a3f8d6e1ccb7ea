namespace HcsLicensing.ServiceDefaults.Security;

/// <summary>The "Authentication" section: which OpenID Connect provider issues the tokens the APIs accept.</summary>
public sealed class ApiSecurityOptions
{
    public const string Section = "Authentication";

    /// <summary>The provider's issuer URL; its discovery document names the signing keys (JWKS), e.g. a Keycloak realm.</summary>
    public string? Authority { get; set; }

    /// <summary>The audience (aud) a token must be issued for, e.g. "hcs-api".</summary>
    public string? Audience { get; set; }

    /// <summary>
    /// False only for the local suite and tests, whose issuer listens on plain http on the loopback: anywhere else the
    /// discovery document and keys must come over https (true by default).
    /// </summary>
    public bool RequireHttpsMetadata { get; set; } = true;
}
