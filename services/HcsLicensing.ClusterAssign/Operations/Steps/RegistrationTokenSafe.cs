using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace HcsLicensing.ClusterAssign.Operations.Steps;

/// <summary>
/// Keeps the registration token Verification obtained until Registration uses it, encrypted: whoever holds a token can
/// register a product into the virtual account, so the saga's row holds only Data Protection ciphertext (key ring in
/// ClusterAssign's database, encrypted with the deployment's certificate; docs/security.md). The token's expiry is
/// part of the ciphertext: an expired or unreadable one is as good as none, and Registration asks for a new one.
/// </summary>
public sealed class RegistrationTokenSafe(IDataProtectionProvider provider)
{
    private readonly ITimeLimitedDataProtector protector = provider.CreateProtector("HcsLicensing.ClusterAssign.RegistrationToken.v1").ToTimeLimitedDataProtector();

    public string Protect(string token, DateTimeOffset expiresAt) => protector.Protect(token, expiresAt);

    /// <summary>The token, or null when there is none, it has expired, or it cannot be decrypted.</summary>
    public string? Unprotect(string? stored)
    {
        if (stored is null)
        {
            return null;
        }

        try
        {
            return protector.Unprotect(stored);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
