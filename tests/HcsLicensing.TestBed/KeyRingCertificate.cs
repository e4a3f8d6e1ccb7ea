using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace HcsLicensing.TestBed;

/// <summary>
/// The certificate that encrypts CHPA's and SmartAccountSync's Data Protection key rings when they run as processes
/// (DataProtection:CertificatePath / CertificatePassword). Made on first use, once per test process: a self-signed
/// RSA key in a password-protected .pfx in the temp folder, deleted when the process exits.
/// </summary>
public static class KeyRingCertificate
{
    private static readonly Lazy<(string Path, string Password)> Created = new(Create);

    public static string Path => Created.Value.Path;

    public static string Password => Created.Value.Password;

    /// <summary>The settings a service reads, as environment variables.</summary>
    public static IEnumerable<KeyValuePair<string, string>> Environment() =>
    [
        new("DataProtection__CertificatePath", Path),
        new("DataProtection__CertificatePassword", Password),
    ];

    private static (string, string) Create()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=HcsLicensing test key ring", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DataEncipherment, critical: true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"hcs-keyring-{System.Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, password));
        AppDomain.CurrentDomain.ProcessExit += (_, _) => File.Delete(path);
        return (path, password);
    }
}
