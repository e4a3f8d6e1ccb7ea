namespace HcsLicensing.ServiceDefaults.Messaging;

/// <summary>
/// Messaging:Tls: how a service whose ConnectionStrings:RabbitMq is an amqps:// URI trusts the broker and, if the broker
/// asks for one, proves itself with a client certificate. Unused for amqp://.
/// </summary>
public sealed class BrokerTlsOptions
{
    /// <summary>
    /// A PEM file with the certificate(s) of the CA that signs the broker's certificate (a private CA). When set, only
    /// these are trusted for the broker, not the OS trust store; unset, the OS trust store decides.
    /// </summary>
    public string? CaCertificatePath { get; set; }

    /// <summary>
    /// A PKCS#12 (.pfx) file with this service's client certificate and its private key, for a broker that verifies its
    /// peers (ssl_options.verify = verify_peer, fail_if_no_peer_cert = true). Unset: no client certificate.
    /// </summary>
    public string? ClientCertificatePath { get; set; }

    /// <summary>The password of <see cref="ClientCertificatePath"/>, from a secret store.</summary>
    public string? ClientCertificatePassword { get; set; }
}
