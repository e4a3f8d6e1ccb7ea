namespace HcsLicensing.TestBed;

/// <summary>
/// A throwaway certificate authority made with the openssl command line (as an operator would for a private CA): an
/// RSA key and a self-signed CA certificate in PEM, valid two days, in a directory the caller owns. It issues server
/// certificates for a broker's TLS listener.
/// </summary>
public sealed class TestCertificateAuthority
{
    private const string OpenSsl = "openssl";

    private TestCertificateAuthority(string directory, string name)
    {
        Name = name;
        CertificatePath = Path.Combine(directory, $"{name}.pem");
        KeyPath = Path.Combine(directory, $"{name}.key");
    }

    public string Name { get; }

    /// <summary>The CA certificate (PEM): what a client that trusts this CA is given.</summary>
    public string CertificatePath { get; }

    public string KeyPath { get; }

    /// <summary>A new CA in <paramref name="directory"/>; <paramref name="name"/> is its file name and part of its subject.</summary>
    public static async Task<TestCertificateAuthority> CreateAsync(string directory, string name, CancellationToken cancellationToken = default)
    {
        var authority = new TestCertificateAuthority(directory, name);
        var config = await WriteConfigAsync(directory, $"{name}-ca.cnf", "basicConstraints = critical, CA:TRUE\nkeyUsage = critical, keyCertSign, cRLSign\nsubjectKeyIdentifier = hash\n", cancellationToken);
        await LocalProcess.RunAsync(OpenSsl, [
            "req", "-x509", "-new", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "2",
            "-subj", $"/CN=HcsLicensing test CA {name}", "-config", config, "-extensions", "ext",
            "-keyout", authority.KeyPath, "-out", authority.CertificatePath,
        ], cancellationToken: cancellationToken);
        return authority;
    }

    /// <summary>
    /// A server certificate and its unencrypted key (PEM) signed by this CA, for <paramref name="names"/> (DNS names and
    /// IP addresses, all in the subject alternative name).
    /// </summary>
    public async Task<(string CertificatePath, string KeyPath)> IssueServerCertificateAsync(string directory, string fileName, IReadOnlyList<string> names, CancellationToken cancellationToken = default)
    {
        var san = string.Join(", ", names.Select(n => System.Net.IPAddress.TryParse(n, out _) ? $"IP:{n}" : $"DNS:{n}"));
        var config = await WriteConfigAsync(directory, $"{fileName}.cnf", $"basicConstraints = critical, CA:FALSE\nkeyUsage = critical, digitalSignature, keyEncipherment\nextendedKeyUsage = serverAuth\nsubjectAltName = {san}\n", cancellationToken);
        var certificate = Path.Combine(directory, $"{fileName}.pem");
        var key = Path.Combine(directory, $"{fileName}.key");
        var request = Path.Combine(directory, $"{fileName}.csr");
        await LocalProcess.RunAsync(OpenSsl, [
            "req", "-new", "-newkey", "rsa:2048", "-nodes", "-subj", $"/CN={names[0]}", "-config", config,
            "-keyout", key, "-out", request,
        ], cancellationToken: cancellationToken);
        await LocalProcess.RunAsync(OpenSsl, [
            "x509", "-req", "-sha256", "-days", "2", "-in", request, "-CA", CertificatePath, "-CAkey", KeyPath, "-set_serial", $"0x{Guid.NewGuid():N}",
            "-extfile", config, "-extensions", "ext", "-out", certificate,
        ], cancellationToken: cancellationToken);
        return (certificate, key);
    }

    /// <summary>A minimal openssl config of our own, so the OS's openssl.cnf adds no extension of its own.</summary>
    private static async Task<string> WriteConfigAsync(string directory, string fileName, string extensions, CancellationToken cancellationToken)
    {
        var path = Path.Combine(directory, fileName);
        await File.WriteAllTextAsync(path, $"[req]\ndistinguished_name = dn\n[dn]\n[ext]\n{extensions}", cancellationToken);
        return path;
    }
}
