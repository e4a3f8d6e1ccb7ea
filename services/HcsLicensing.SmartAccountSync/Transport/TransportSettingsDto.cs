using HcsLicensing.ServiceDefaults.Validation;

namespace HcsLicensing.SmartAccountSync.Transport;

/// <summary>
/// HCM-F's transport settings towards CSSM: Direct, or Proxy with host and port (and a user and password when the
/// proxy wants basic authentication); the authentication gateway and CSSM server URLs. The password is write-only:
/// answers never carry it, and a save without one keeps the saved password of the same user.
/// </summary>
public sealed record TransportSettingsDto(
    string? Mode, string? ProxyHost, int? ProxyPort, string? AuthenticationGateway, string? CssmServer, string? ProxyUser = null, string? ProxyPassword = null)
{
    public const string Direct = "Direct";
    public const string Proxy = "Proxy";

    /// <summary>Whether the settings are a proxy's.</summary>
    public bool IsProxy => string.Equals(Mode?.Trim(), Proxy, StringComparison.OrdinalIgnoreCase);

    /// <summary>For logs and exceptions: everything but the password.</summary>
    public override string ToString() => $"{Mode} {ProxyUser}{(ProxyUser is null ? "" : "@")}{ProxyHost}:{ProxyPort} {AuthenticationGateway} {CssmServer}";

    /// <summary>The saved settings as answered: without the password.</summary>
    public static TransportSettingsDto From(TransportRouteSettings settings) =>
        new(settings.Mode, settings.ProxyHost, settings.ProxyPort, settings.AuthenticationGateway, settings.CssmServer, settings.ProxyUser);

    /// <summary>Field errors, keyed by the JSON field name; empty when the settings are usable. Never echoes the password.</summary>
    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        var mode = Mode?.Trim();
        if (!string.Equals(mode, Direct, StringComparison.OrdinalIgnoreCase) && !IsProxy)
        {
            errors["mode"] = [$"'{Mode}' is not a transport mode; use Direct or Proxy"];
        }
        else if (IsProxy)
        {
            if (string.IsNullOrWhiteSpace(ProxyHost) || ProxyHost.Trim().Length > InputLimits.HostName || Uri.CheckHostName(ProxyHost.Trim()) == UriHostNameType.Unknown)
            {
                errors["proxyHost"] = ["a proxy needs a host name or IP address, e.g. proxy.example.com or 10.0.0.8"];
            }

            if (ProxyPort is not (>= 1 and <= 65535))
            {
                errors["proxyPort"] = ["a proxy needs a port from 1 to 65535, e.g. 8080"];
            }

            // Basic authentication joins user and password with ':', so the user cannot hold one.
            if (ProxyUser is { } user && (user.Trim().Length is 0 or > 256 || user.Contains(':', StringComparison.Ordinal)))
            {
                errors["proxyUser"] = ["the proxy user is 1 to 256 characters without ':'; leave it out when the proxy wants no authentication"];
            }

            if (ProxyPassword is { Length: > 1024 })
            {
                errors["proxyPassword"] = ["the proxy password is at most 1024 characters"];
            }
            else if (ProxyPassword is not null && string.IsNullOrWhiteSpace(ProxyUser))
            {
                errors["proxyPassword"] = ["a proxy password needs a proxy user"];
            }
        }
        else if (!string.IsNullOrWhiteSpace(ProxyHost) || ProxyPort is not null || ProxyUser is not null || ProxyPassword is not null)
        {
            errors["mode"] = ["Direct transport takes no proxy host, port, user or password; choose Proxy or leave them out"];
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
