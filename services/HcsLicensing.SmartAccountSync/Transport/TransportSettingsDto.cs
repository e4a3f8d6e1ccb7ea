using HcsLicensing.ServiceDefaults.Validation;

namespace HcsLicensing.SmartAccountSync.Transport;

/// <summary>HCM-F's transport settings towards CSSM: Direct, or Proxy with host and port; the authentication gateway and CSSM server URLs.</summary>
public sealed record TransportSettingsDto(string? Mode, string? ProxyHost, int? ProxyPort, string? AuthenticationGateway, string? CssmServer)
{
    public const string Direct = "Direct";
    public const string Proxy = "Proxy";

    public static TransportSettingsDto From(TransportSettings settings) =>
        new(settings.Mode, settings.ProxyHost, settings.ProxyPort, settings.AuthenticationGateway, settings.CssmServer);

    /// <summary>Field errors, keyed by the JSON field name; empty when the settings are usable.</summary>
    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        var mode = Mode?.Trim();
        if (!string.Equals(mode, Direct, StringComparison.OrdinalIgnoreCase) && !string.Equals(mode, Proxy, StringComparison.OrdinalIgnoreCase))
        {
            errors["mode"] = [$"'{Mode}' is not a transport mode; use Direct or Proxy"];
        }
        else if (string.Equals(mode, Proxy, StringComparison.OrdinalIgnoreCase))
        {
            if (string.IsNullOrWhiteSpace(ProxyHost) || ProxyHost.Trim().Length > InputLimits.HostName || Uri.CheckHostName(ProxyHost.Trim()) == UriHostNameType.Unknown)
            {
                errors["proxyHost"] = ["a proxy needs a host name or IP address, e.g. proxy.example.com or 10.0.0.8"];
            }

            if (ProxyPort is not (>= 1 and <= 65535))
            {
                errors["proxyPort"] = ["a proxy needs a port from 1 to 65535, e.g. 8080"];
            }
        }
        else if (!string.IsNullOrWhiteSpace(ProxyHost) || ProxyPort is not null)
        {
            errors["mode"] = ["Direct transport takes no proxy host or port; choose Proxy or leave them out"];
        }

        CheckUrl(AuthenticationGateway, "authenticationGateway", "the OAuth2 token URL, e.g. https://id.cisco.com/oauth2/default/v1/token", errors);
        CheckUrl(CssmServer, "cssmServer", "swapi's base URL, e.g. https://swapi.cisco.com/services/api/smart-accounts-and-licensing/", errors);
        return errors;
    }

    private static void CheckUrl(string? value, string field, string example, Dictionary<string, string[]> errors)
    {
        if (value is { Length: > InputLimits.Url })
        {
            errors[field] = [$"{field} must be at most {InputLimits.Url} characters"];
        }
        else if (!Uri.TryCreate(value?.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            errors[field] = [$"'{value}' is not an http(s) URL; {field} is {example}"];
        }
    }
}
