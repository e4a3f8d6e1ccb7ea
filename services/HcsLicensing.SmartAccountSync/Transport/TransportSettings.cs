namespace HcsLicensing.SmartAccountSync.Transport;

/// <summary>HCM-F's transport settings towards CSSM: one row (id 1) once an operator changed them.</summary>
public sealed class TransportSettings
{
    public const int SingletonId = 1;

    public int Id { get; set; } = SingletonId;

    /// <summary>Direct or Proxy.</summary>
    public string Mode { get; set; } = "Direct";

    public string? ProxyHost { get; set; }

    public int? ProxyPort { get; set; }

    /// <summary>The OAuth2 token URL (cloud SSO / id.cisco.com).</summary>
    public string AuthenticationGateway { get; set; } = "";

    /// <summary>swapi's base URL.</summary>
    public string CssmServer { get; set; } = "";

    public DateTimeOffset UpdatedAt { get; set; }
}
