using System.Security.Cryptography;
using System.Text;

namespace HcsLicensing.UcSimulator.Clusters;

/// <summary>A user name and password the publisher accepts. ToString hides the password, so a log line never shows it.</summary>
public sealed class SimCredentials(string userName, string password)
{
    public string UserName { get; } = userName;

    /// <summary>True when <paramref name="header"/> is "Basic base64(user:password)" with these credentials.</summary>
    public bool Accepts(string? header)
    {
        if (header is null || !header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
        }
        catch (FormatException)
        {
            return false;
        }

        // Constant-time, as a real publisher would compare.
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(decoded), Encoding.UTF8.GetBytes($"{UserName}:{password}"));
    }

    public override string ToString() => $"{UserName}:***";
}
