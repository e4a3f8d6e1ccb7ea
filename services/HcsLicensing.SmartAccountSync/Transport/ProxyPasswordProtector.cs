using Microsoft.AspNetCore.DataProtection;

namespace HcsLicensing.SmartAccountSync.Transport;

/// <summary>
/// Encrypts proxy passwords for the database with the key ring that protects client secrets; its own purpose string
/// keeps these ciphertexts apart from any other.
/// </summary>
public sealed class ProxyPasswordProtector(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("HcsLicensing.SmartAccountSync.ProxyPassword.v1");

    public string Protect(string password) => _protector.Protect(password);

    public string Unprotect(string protectedPassword) => _protector.Unprotect(protectedPassword);
}
