namespace HcsLicensing.SmartAccountSync.SmartAccounts;

/// <summary>A smart account's domain as every API reads it: trimmed, in lower case, a DNS name of at most 253 characters.</summary>
public static class SmartAccountDomain
{
    public static bool TryRead(string? text, out string domain)
    {
        domain = text?.Trim().ToLowerInvariant() ?? "";
        return domain.Length is > 0 and <= 253 && Uri.CheckHostName(domain) == UriHostNameType.Dns;
    }
}
