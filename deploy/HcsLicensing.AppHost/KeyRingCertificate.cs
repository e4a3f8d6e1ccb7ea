using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace HcsLicensing.AppHost;

/// <summary>
/// The certificate that encrypts CHPA's and SmartAccountSync's Data Protection key rings in the local suite, made
/// on the first start and kept (with its password beside it, readable by this user only) in
/// ~/.local/share/HcsLicensing, so that a key ring written in one run still opens in the next. A deployment brings
/// its own certificate instead (deploy/README.md).
/// </summary>
public static class KeyRingCertificate
{
    public static (string Path, string Password) EnsureCreated()
    {
        var folder = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "HcsLicensing");
        var path = Path.Combine(folder, "keyring.pfx");
        var passwordPath = path + ".password";
        if (File.Exists(path) && File.Exists(passwordPath))
        {
            return (path, File.ReadAllText(passwordPath).Trim());
        }

        Directory.CreateDirectory(folder);
        using var rsa = RSA.Create(3072);
        var request = new CertificateRequest("CN=HcsLicensing local suite key ring", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DataEncipherment, critical: true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(10));
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        foreach (var (file, content) in new[] { (passwordPath, System.Text.Encoding.UTF8.GetBytes(password)), (path, certificate.Export(X509ContentType.Pfx, password)) })
        {
            File.WriteAllBytes(file, content);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }

        return (path, password);
    }
}
