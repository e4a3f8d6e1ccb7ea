using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using MassTransit;
using RabbitMQ.Client;

namespace HcsLicensing.ServiceDefaults.Messaging;

/// <summary>
/// TLS to the broker, decided once from ConnectionStrings:RabbitMq and Messaging:Tls for the three connections a service
/// opens: the bus (MassTransit), the error queue tools (RabbitMQ.Client) and the readiness check. The URI's scheme
/// decides (amqps:// or rabbitmqs://), whatever the port. The broker's certificate must name the URI's host and chain to
/// the configured CA, or to the OS trust store when none is configured; nothing relaxes that. MassTransit on its own
/// would turn TLS on only for port 5671 and accept a certificate no trusted CA signed.
/// </summary>
public sealed class BrokerTls
{
    /// <summary>The AMQPS port, when the URI names none.</summary>
    public const int DefaultPort = 5671;

    private const int DefaultPlainPort = 5672;
    private readonly X509Certificate2Collection? _trustedAuthorities;

    private BrokerTls(string serverName, X509Certificate2Collection? trustedAuthorities, X509Certificate2? clientCertificate)
    {
        ServerName = serverName;
        _trustedAuthorities = trustedAuthorities;
        ClientCertificate = clientCertificate;
    }

    /// <summary>The name the broker's certificate must carry: the URI's host.</summary>
    public string ServerName { get; }

    /// <summary>This service's certificate for a broker that verifies its peers, or null.</summary>
    public X509Certificate2? ClientCertificate { get; }

    /// <summary>True for a CA file of its own; false when the OS trust store decides.</summary>
    public bool TrustsPrivateAuthority => _trustedAuthorities is not null;

    /// <summary>
    /// TLS for <paramref name="broker"/>, or null for plain AMQP. Throws, so that the service does not start, for a CA or
    /// client certificate file that cannot be read, and for amqp:// on port 5671 (MassTransit would speak TLS there
    /// without checking the certificate's issuer, RabbitMQ.Client plain AMQP: write amqps://).
    /// </summary>
    public static BrokerTls? For(Uri broker, BrokerTlsOptions options)
    {
        if (!IsTls(broker))
        {
            if (!broker.IsDefaultPort && broker.Port == DefaultPort)
            {
                throw new InvalidOperationException(
                    $"ConnectionStrings:{BusExtensions.ConnectionStringName} names port {DefaultPort}, RabbitMQ's TLS port, with the plain {broker.Scheme} scheme: write amqps:// for TLS.");
            }

            return null;
        }

        return new BrokerTls(broker.Host, TrustedAuthorities(options.CaCertificatePath), ClientCertificateFrom(options));
    }

    /// <summary>amqps:// or MassTransit's rabbitmqs://.</summary>
    public static bool IsTls(Uri broker) =>
        broker.Scheme.Equals("amqps", StringComparison.OrdinalIgnoreCase) || broker.Scheme.Equals("rabbitmqs", StringComparison.OrdinalIgnoreCase);

    /// <summary>The port the URI names, else RabbitMQ's default for its scheme.</summary>
    public static int PortOf(Uri broker) => broker.IsDefaultPort || broker.Port <= 0 ? (IsTls(broker) ? DefaultPort : DefaultPlainPort) : broker.Port;

    /// <summary>
    /// The broker's certificate is accepted when it is there, names <see cref="ServerName"/>, and chains to a trusted CA:
    /// the configured one (only it), else one of the OS trust store. Revocation is not checked (RabbitMQ.Client's default;
    /// private CAs seldom publish a CRL).
    /// </summary>
    public bool ValidateServerCertificate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable) || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return false;
        }

        if (_trustedAuthorities is null)
        {
            return errors == SslPolicyErrors.None;
        }

        using var privateChain = new X509Chain();
        privateChain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        privateChain.ChainPolicy.CustomTrustStore.AddRange(_trustedAuthorities);
        privateChain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            // Intermediates the broker sent along.
            foreach (var element in chain.ChainElements)
            {
                privateChain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        var leaf = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        try
        {
            return privateChain.Build(leaf);
        }
        finally
        {
            if (!ReferenceEquals(leaf, certificate))
            {
                leaf.Dispose();
            }
        }
    }

    /// <summary>For MassTransit's <c>h.UseSsl(...)</c>.</summary>
    public void Configure(IRabbitMqSslConfigurator ssl)
    {
        ssl.ServerName = ServerName;
        ssl.Protocol = SslProtocols.None; // the OS picks: TLS 1.3 or 1.2
        // MassTransit accepts chain errors by default; the callback decides, and no error is acceptable without it.
        ssl.EnforcePolicyErrors(SslPolicyErrors.RemoteCertificateChainErrors | SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable);
        ssl.CertificateValidationCallback = ValidateServerCertificate;
        if (ClientCertificate is not null)
        {
            ssl.Certificate = ClientCertificate;
        }
    }

    /// <summary>For a RabbitMQ.Client <see cref="ConnectionFactory"/>.</summary>
    public SslOption ClientOption() => new()
    {
        Enabled = true,
        ServerName = ServerName,
        Version = SslProtocols.None,
        AcceptablePolicyErrors = SslPolicyErrors.None,
        CertificateValidationCallback = ValidateServerCertificate,
        Certs = ClientCertificate is null ? null : new X509CertificateCollection { ClientCertificate },
    };

    /// <summary>For an <see cref="SslStream"/> of this service's own (the readiness check).</summary>
    public SslClientAuthenticationOptions AuthenticationOptions() => new()
    {
        TargetHost = ServerName,
        RemoteCertificateValidationCallback = ValidateServerCertificate,
        ClientCertificates = ClientCertificate is null ? null : new X509CertificateCollection { ClientCertificate },
    };

    private static X509Certificate2Collection? TrustedAuthorities(string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return null;
        }

        var authorities = new X509Certificate2Collection();
        try
        {
            authorities.ImportFromPemFile(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new InvalidOperationException($"Messaging:Tls:CaCertificatePath ({path}) cannot be read as PEM certificates: {exception.Message}", exception);
        }

        return authorities.Count > 0
            ? authorities
            : throw new InvalidOperationException($"Messaging:Tls:CaCertificatePath ({path}) holds no PEM certificate.");
    }

    private static X509Certificate2? ClientCertificateFrom(BrokerTlsOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.ClientCertificatePath))
        {
            return null;
        }

        try
        {
            return X509CertificateLoader.LoadPkcs12FromFile(options.ClientCertificatePath, options.ClientCertificatePassword);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            // The message names the file, never the password.
            throw new InvalidOperationException($"Messaging:Tls:ClientCertificatePath ({options.ClientCertificatePath}) cannot be read as PKCS#12 with its password: {exception.Message}", exception);
        }
    }
}
