using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace HcsLicensing.Identity.Keys;

/// <summary>
/// The issuer's signing and encryption certificates, generated on first start and kept as PFX files in
/// Identity:SigningKeys:Path, so that a restart (or another replica on the same directory) signs with the same key and
/// tokens issued before stay valid. Production may put its own certificates there instead (same file names).
/// </summary>
public static class IssuerCertificates
{
    public const string SigningFile = "signing.pfx";
    public const string EncryptionFile = "encryption.pfx";

    public static X509Certificate2 Signing(string directory) => LoadOrCreate(Path.Combine(directory, SigningFile), X509KeyUsageFlags.DigitalSignature, "HcsLicensing.Identity signing");

    public static X509Certificate2 Encryption(string directory) => LoadOrCreate(Path.Combine(directory, EncryptionFile), X509KeyUsageFlags.KeyEncipherment, "HcsLicensing.Identity encryption");

    /// <summary>Reads a PFX the issuer wrote (also for tests that must sign as the issuer, e.g. an expired token).</summary>
    public static X509Certificate2 Load(string file) => X509CertificateLoader.LoadPkcs12FromFile(file, password: null, X509KeyStorageFlags.Exportable);

    private static X509Certificate2 LoadOrCreate(string file, X509KeyUsageFlags usage, string subject)
    {
        if (File.Exists(file))
        {
            return Load(file);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={subject}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, critical: true));
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(2));
        // Written aside and moved in, owner-only: a replica starting at the same moment keeps whichever came first.
        var temporary = file + "." + Guid.NewGuid().ToString("N") + ".tmp";
        File.WriteAllBytes(temporary, certificate.Export(X509ContentType.Pfx));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        try
        {
            File.Move(temporary, file, overwrite: false);
        }
        catch (IOException) when (File.Exists(file))
        {
            File.Delete(temporary);
        }

        return Load(file);
    }
}
