using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace HcsLicensing.ServiceDefaults.Security;

/// <summary>
/// ASP.NET Core Data Protection for a service that keeps secrets in its database (CHPA's cluster credentials,
/// SmartAccountSync's client secrets and registration tokens): the key ring lives in the same database under one
/// application name, so every instance decrypts what another encrypted, and each key is itself encrypted with a
/// certificate from configuration, so that a dump of the database alone reveals no secret.
/// <list type="bullet">
/// <item><c>DataProtection:CertificatePath</c>: a PKCS#12 (.pfx) file with the private key;
/// <c>DataProtection:CertificatePassword</c>: its password.</item>
/// <item>Outside Development a service without the certificate does not start. In Development (tests in process,
/// a laptop) the keys are stored as Data Protection writes them.</item>
/// <item>Keys written before the certificate was configured stay readable; new keys are encrypted. Rotating the
/// certificate: configure the new one and keep the old one in <c>DataProtection:PreviousCertificatePaths</c>
/// (same password) until every key encrypted with it has expired (90 days).</item>
/// </list>
/// </summary>
public static class KeyRingProtection
{
    public const string Section = "DataProtection";

    public static IDataProtectionBuilder AddServiceDataProtection<TContext>(this IHostApplicationBuilder builder, string applicationName)
        where TContext : DbContext, IDataProtectionKeyContext
    {
        var dataProtection = builder.Services.AddDataProtection()
            .SetApplicationName(applicationName)
            .PersistKeysToDbContext<TContext>();
        var section = builder.Configuration.GetSection(Section);
        var path = section["CertificatePath"];
        if (string.IsNullOrWhiteSpace(path))
        {
            return builder.Environment.IsDevelopment()
                ? dataProtection
                : throw new InvalidOperationException(
                    $"{Section}:CertificatePath is not configured: {applicationName} will not store its key ring unencrypted (docs/security.md)");
        }

        var password = section["CertificatePassword"];
        var current = Load(path, password);
        var previous = (section.GetSection("PreviousCertificatePaths").Get<string[]>() ?? []).Select(p => Load(p, password));
        // Linux has no certificate store Data Protection could search when decrypting: hand it every certificate.
        return dataProtection.ProtectKeysWithCertificate(current).UnprotectKeysWithAnyCertificate([current, .. previous]);
    }

    private static X509Certificate2 Load(string path, string? password)
    {
        var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password, X509KeyStorageFlags.EphemeralKeySet);
        return certificate.HasPrivateKey
            ? certificate
            : throw new InvalidOperationException($"{Section}: {path} has no private key; the key ring could be encrypted but never read");
    }
}
