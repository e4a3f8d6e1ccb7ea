using System.Text.RegularExpressions;
using HcsLicensing.Chpa.UcApplications;
using HcsLicensing.Contracts.Chpa;

namespace HcsLicensing.Chpa.Inventory;

/// <summary>A cluster definition that passed validation; credentials are null when a change leaves them as they were.</summary>
public sealed record ClusterInput(
    string Name,
    UcApplicationType Type,
    string Version,
    string PublisherAddress,
    UcCredentials? Management,
    UcCredentials? Platform);

/// <summary>
/// Checks an inventory body field by field, so that problem details name every bad field ("type", "managementCredentials.password").
/// Messages never repeat a password.
/// </summary>
public static partial class ClusterInputValidator
{
    public static ClusterInput? Validate(ClusterInputDto body, string? routeName, out Dictionary<string, string[]> errors)
    {
        errors = [];
        var adding = routeName is null;
        var name = (adding ? body.Name : routeName)?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            errors["name"] = ["name is required"];
        }
        else if (!NamePattern().IsMatch(name))
        {
            errors["name"] = ["name must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit"];
        }
        else if (!adding && body.Name is not null && !string.Equals(body.Name.Trim(), routeName, StringComparison.OrdinalIgnoreCase))
        {
            errors["name"] = ["a cluster cannot be renamed; remove it and add it under the new name"];
        }

        UcApplicationType? type = null;
        if (string.IsNullOrWhiteSpace(body.Type))
        {
            errors["type"] = ["type is required"];
        }
        else if (Enum.TryParse<UcApplicationType>(body.Type.Trim(), ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(body.Type, out _))
        {
            type = parsed;
        }
        else
        {
            errors["type"] = [$"type must be one of {string.Join(", ", Enum.GetNames<UcApplicationType>())}"];
        }

        var version = body.Version?.Trim();
        if (string.IsNullOrEmpty(version))
        {
            errors["version"] = ["version is required"];
        }
        else if (!UcVersion.TryParse(version, out _))
        {
            errors["version"] = ["version must start with major.minor, e.g. 12.5 or 12.5.1.11900-146"];
        }

        var publisher = body.PublisherAddress?.Trim();
        if (string.IsNullOrEmpty(publisher))
        {
            errors["publisherAddress"] = ["publisherAddress is required"];
        }
        else if (Uri.CheckHostName(publisher) == UriHostNameType.Unknown)
        {
            errors["publisherAddress"] = ["publisherAddress must be a host name or an IP address"];
        }

        var management = Credentials(body.ManagementCredentials, "managementCredentials", adding, errors);
        var platform = Credentials(body.PlatformCredentials, "platformCredentials", adding, errors);

        return errors.Count == 0 ? new ClusterInput(name!, type!.Value, version!, publisher!, management, platform) : null;
    }

    private static UcCredentials? Credentials(CredentialsInputDto? input, string field, bool required, Dictionary<string, string[]> errors)
    {
        if (input is null)
        {
            if (required)
            {
                errors[field] = [$"{field} are required"];
            }

            return null;
        }

        if (string.IsNullOrWhiteSpace(input.UserName))
        {
            errors[$"{field}.userName"] = ["userName is required"];
        }

        if (string.IsNullOrEmpty(input.Password))
        {
            errors[$"{field}.password"] = ["password is required"];
        }

        return string.IsNullOrWhiteSpace(input.UserName) || string.IsNullOrEmpty(input.Password) ? null : new UcCredentials(input.UserName.Trim(), input.Password);
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex NamePattern();
}
