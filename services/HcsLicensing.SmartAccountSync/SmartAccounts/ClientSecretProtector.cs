using HcsLicensing.SmartAccountSync.Cssm;
using Microsoft.AspNetCore.DataProtection;

namespace HcsLicensing.SmartAccountSync.SmartAccounts;

/// <summary>
/// Encrypts client secrets for the database and decrypts them just before a CSSM call, with ASP.NET Core Data
/// Protection (keys in the service's PostgreSQL, shared by its instances). The purpose string isolates these
/// ciphertexts from anything else the key ring protects.
/// </summary>
public sealed class ClientSecretProtector(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("HcsLicensing.SmartAccountSync.ClientSecret.v1");

    public string Protect(string secret) => _protector.Protect(secret);

    public CssmCredentials CredentialsOf(SmartAccount account) => new(account.ClientId, _protector.Unprotect(account.ProtectedClientSecret), account.Domain);
}
