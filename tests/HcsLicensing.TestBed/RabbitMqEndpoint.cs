namespace HcsLicensing.TestBed;

/// <summary>Where a test reaches RabbitMQ over AMQP.</summary>
public sealed record RabbitMqEndpoint(string Host, int Port, string UserName, string Password, string VirtualHost = "/")
{
    /// <summary>An amqp:// URI, the form the services read from configuration.</summary>
    public Uri AmqpUri => new($"amqp://{Uri.EscapeDataString(UserName)}:{Uri.EscapeDataString(Password)}@{Host}:{Port}/{Uri.EscapeDataString(VirtualHost)}");

    /// <summary>Reads an amqp://user:pass@host:port/vhost URI.</summary>
    public static RabbitMqEndpoint Parse(string amqpUri)
    {
        var uri = new Uri(amqpUri);
        var credentials = uri.UserInfo.Split(':', 2);
        var vhost = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        return new RabbitMqEndpoint(
            uri.Host,
            uri.IsDefaultPort || uri.Port < 0 ? 5672 : uri.Port,
            credentials.Length > 0 && credentials[0].Length > 0 ? Uri.UnescapeDataString(credentials[0]) : "guest",
            credentials.Length > 1 ? Uri.UnescapeDataString(credentials[1]) : "guest",
            vhost.Length == 0 ? "/" : vhost);
    }
}
