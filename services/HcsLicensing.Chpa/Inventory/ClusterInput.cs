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
    // The columns' lengths (ChpaDbContext); credentials are stored encrypted, their limits keep the ciphertext bounded.
    public const int VersionMaxLength = 32;
    public const int PublisherAddressMaxLength = 253;
    public const int UserNameMaxLength = 128;
    public const int PasswordMaxLength = 256;

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
        else if (TryParseType(body.Type, out var parsed))
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
        else if (version.Length > VersionMaxLength)
        {
            errors["version"] = [$"version must be at most {VersionMaxLength} characters"];
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
        else if (publisher.Length > PublisherAddressMaxLength)
        {
            errors["publisherAddress"] = [$"publisherAddress must be at most {PublisherAddressMaxLength} characters"];
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

        var valid = true;
        if (string.IsNullOrWhiteSpace(input.UserName))
        {
            errors[$"{field}.userName"] = ["userName is required"];
            valid = false;
        }
        else if (input.UserName.Trim().Length > UserNameMaxLength)
        {
            errors[$"{field}.userName"] = [$"userName must be at most {UserNameMaxLength} characters"];
            valid = false;
        }

        if (string.IsNullOrEmpty(input.Password))
        {
            errors[$"{field}.password"] = ["password is required"];
            valid = false;
        }
        else if (input.Password.Length > PasswordMaxLength)
        {
            errors[$"{field}.password"] = [$"password must be at most {PasswordMaxLength} characters"];
            valid = false;
        }

        return valid ? new UcCredentials(input.UserName!.Trim(), input.Password!) : null;
    }

    /// <summary>One of the type names exactly (any case): not a number, not a "CUCM,IMP" combination that Enum.TryParse would take.</summary>
    public static bool TryParseType(string text, out UcApplicationType type)
    {
        var name = Enum.GetNames<UcApplicationType>().FirstOrDefault(n => string.Equals(n, text.Trim(), StringComparison.OrdinalIgnoreCase));
        type = name is null ? default : Enum.Parse<UcApplicationType>(name);
        return name is not null;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex NamePattern();
}
