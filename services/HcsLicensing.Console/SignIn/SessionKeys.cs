using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;

namespace HcsLicensing.Console.SignIn;

/// <summary>
/// The Data Protection keys that sign and encrypt the session cookie (and the sign-in's correlation cookies and
/// antiforgery tokens). With <c>DataProtection:KeysPath</c> they live in that directory (a volume every replica mounts),
/// so a cookie one replica issued is read by the next, and a restart keeps operators signed in. With
/// <c>DataProtection:CertificatePath</c> (a .pfx with its private key; <c>CertificatePassword</c>) each key is
/// encrypted at rest, so the volume alone reveals no key. Without a path: the framework's default location, fit for one
/// replica on one machine (the suite, tests).
/// </summary>
public static class SessionKeys
{
    public const string Section = "DataProtection";

    /// <summary>One name for every replica: keys are isolated per application name.</summary>
    public const string ApplicationName = "HcsLicensing.Console";

    public static WebApplicationBuilder AddSessionKeys(this WebApplicationBuilder builder)
    {
        var dataProtection = builder.Services.AddDataProtection().SetApplicationName(ApplicationName);
        var settings = builder.Configuration.GetSection(Section);
        if (settings["KeysPath"] is { Length: > 0 } path)
        {
            dataProtection.PersistKeysToFileSystem(Directory.CreateDirectory(path));
        }

        if (settings["CertificatePath"] is { Length: > 0 } certificatePath)
        {
            var certificate = X509CertificateLoader.LoadPkcs12FromFile(certificatePath, settings["CertificatePassword"], X509KeyStorageFlags.EphemeralKeySet);
            if (!certificate.HasPrivateKey)
            {
                throw new InvalidOperationException($"{Section}:CertificatePath {certificatePath} has no private key; the keys could be encrypted but never read");
            }

            // Linux has no certificate store Data Protection could search when decrypting: hand it the certificate.
            dataProtection.ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate(certificate);
        }

        return builder;
    }
}
