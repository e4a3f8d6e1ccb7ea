namespace HcsLicensing.Identity;

/// <summary>The "Identity" section: what the issuer puts in tokens, where its keys live, who may ask for tokens.</summary>
public sealed class IssuerOptions
{
    public const string Section = "Identity";

    /// <summary>
    /// The issuer URL written in tokens and discovery (iss). Set it when callers reach the issuer by another name than
    /// the services do (e.g. localhost from a shell, a container name inside the network); unset, it is the request's host.
    /// </summary>
    public Uri? Issuer { get; set; }

    /// <summary>The audience (aud) of every access token: the services' Authentication:Audience.</summary>
    public string Audience { get; set; } = "hcs-api";

    /// <summary>Allow plain http (the local suite and tests on the loopback only).</summary>
    public bool AllowHttp { get; set; }

    /// <summary>Access token lifetime (default one hour).</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    public SigningKeyOptions SigningKeys { get; set; } = new();

    /// <summary>Clients seeded (created or updated) at every start.</summary>
    public List<ClientOptions> Clients { get; set; } = [];

    /// <summary>Operators who may sign in to the authorization endpoint (the minimal login).</summary>
    public List<OperatorOptions> Operators { get; set; } = [];
}

/// <summary>Where the signing and encryption certificates are kept (generated on first start).</summary>
public sealed class SigningKeyOptions
{
    /// <summary>A directory only the issuer can read; relative paths are under the content root. Replicas share it.</summary>
    public string Path { get; set; } = "keys";
}

/// <summary>An OAuth client: a service, script or test with a secret (client credentials), or a console without one (code + PKCE).</summary>
public sealed class ClientOptions
{
    public string ClientId { get; set; } = "";

    /// <summary>Set for a confidential client (client credentials); unset for a public client (authorization code + PKCE).</summary>
    public string? ClientSecret { get; set; }

    public string? DisplayName { get; set; }

    /// <summary>The hcs.* scopes the client may ask for.</summary>
    public List<string> Scopes { get; set; } = [];

    /// <summary>Where the authorization code may be sent back (public clients).</summary>
    public List<Uri> RedirectUris { get; set; } = [];
}

/// <summary>An operator of the minimal login: a name, a password and the permissions (roles) the token carries.</summary>
public sealed class OperatorOptions
{
    public string UserName { get; set; } = "";

    public string Password { get; set; } = "";

    public List<string> Permissions { get; set; } = [];
}
