namespace HcsLicensing.AppHost.Servers;

/// <summary>RabbitMQ and PostgreSQL for the services, wherever they run.</summary>
public interface IServers
{
    /// <summary>
    /// Gives <paramref name="service"/> ConnectionStrings__RabbitMq and ConnectionStrings__Database (its own database,
    /// created before it starts) and makes it wait until both servers are ready.
    /// </summary>
    void Connect(IResourceBuilder<ProjectResource> service, string database);

    /// <summary>Where the broker and the database server are, as the demo's summary prints them.</summary>
    IReadOnlyList<(string Name, string Address)> Describe();

    /// <summary>
    /// Stops the servers cleanly, if that is ours to do (local servers; containers are the orchestrator's), and
    /// returns the names of those still stopping after <paramref name="grace"/>.
    /// </summary>
    Task<IReadOnlyList<string>> StopAsync(TimeSpan grace);
}

/// <summary>A server the suite needs is not installed; the message says which package brings it.</summary>
public sealed class MissingServerException(string message) : Exception(message);
