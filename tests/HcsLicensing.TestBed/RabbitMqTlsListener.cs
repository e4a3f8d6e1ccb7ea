namespace HcsLicensing.TestBed;

/// <summary>A RabbitMQ TLS (AMQPS) listener and the CA that signed its certificate.</summary>
public sealed record RabbitMqTlsListener(string Host, int Port, string CaCertificatePath)
{
    /// <summary>An amqps:// URI as a service reads it from ConnectionStrings:RabbitMq (guest: the node's loopback-only user).</summary>
    public Uri AmqpsUri => new($"amqps://guest:guest@{Host}:{Port}/");
}
