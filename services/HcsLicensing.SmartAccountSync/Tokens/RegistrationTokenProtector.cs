using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace HcsLicensing.SmartAccountSync.Tokens;

/// <summary>
/// Registration (ID) tokens are secrets: whoever holds one can register a product into the virtual account. The
/// token cache (<c>registration_tokens</c>) keeps them as Data Protection ciphertext with their own purpose; only
/// the moment a token is handed out decrypts it.
/// </summary>
public sealed class RegistrationTokenProtector(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("HcsLicensing.SmartAccountSync.RegistrationToken.v1");

    public string Protect(string token) => _protector.Protect(token);

    /// <summary>The token, or null when the ciphertext cannot be decrypted (a lost key ring, a row from before encryption): such a row is not used.</summary>
    public string? Unprotect(string stored)
    {
        try
        {
            return _protector.Unprotect(stored);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
