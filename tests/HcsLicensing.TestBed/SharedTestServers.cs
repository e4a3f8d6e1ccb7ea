namespace HcsLicensing.TestBed;

/// <summary>
/// The servers of one test assembly, started on first use and stopped by the assembly's SetUpFixture,
/// so that every fixture in it shares one broker and one database server.
/// </summary>
public static class SharedTestServers
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static TestServers? _servers;

    public static async Task<TestServers> GetAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_servers is null)
            {
                _servers = await TestServers.StartAsync();
                await Console.Out.WriteLineAsync($"Test bed: RabbitMQ {_servers.RabbitMq.Host}:{_servers.RabbitMq.Port} and PostgreSQL from {_servers.Source} servers");
            }

            return _servers;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Stops the servers, and first the assembly's <see cref="Security.SharedTestIssuer"/> (it keeps its database on them).</summary>
    public static async Task StopAsync()
    {
        await Security.SharedTestIssuer.StopAsync();
        await Gate.WaitAsync();
        try
        {
            if (_servers is not null)
            {
                await _servers.DisposeAsync();
                _servers = null;
            }
        }
        finally
        {
            Gate.Release();
        }
    }
}
