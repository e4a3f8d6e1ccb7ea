using HcsLicensing.TestBed;

namespace HcsLicensing.Chpa.Tests.Support;

/// <summary>
/// One CHPA instance, its requester and the simulators, shared by the tests of this assembly that need no CHPA of their
/// own (tests that restart CHPA or change its settings start their own). Tests keep apart by their own clusters.
/// </summary>
public sealed class SharedChpa
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static SharedChpa? _shared;

    private SharedChpa(TestServers servers, Simulators simulators, ChpaInstance chpa, Requester requester)
    {
        Servers = servers;
        Simulators = simulators;
        Chpa = chpa;
        Requester = requester;
    }

    public TestServers Servers { get; }

    public Simulators Simulators { get; }

    public ChpaInstance Chpa { get; }

    public Requester Requester { get; }

    public static async Task<SharedChpa> GetAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_shared is null)
            {
                var servers = await SharedTestServers.GetAsync();
                var simulators = await Simulators.GetAsync();
                var chpa = await ChpaInstance.StartAsync(servers, simulators, await servers.Postgres.CreateDatabaseAsync("chpa"), ChpaInstance.NewPrefix());
                _shared = new SharedChpa(servers, simulators, chpa, await Requester.StartAsync(servers, chpa.ChpaQueue));
            }

            return _shared;
        }
        finally
        {
            Gate.Release();
        }
    }

    public static async Task StopAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_shared is not null)
            {
                await _shared.Requester.DisposeAsync();
                await _shared.Chpa.DisposeAsync();
                _shared = null;
            }
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>A new cluster in the UC simulator (with <paramref name="knobs"/>) and in CHPA's inventory.</summary>
    public async Task<ClusterSpec> NewClusterAsync(string tag, string version = "12.5.1.11900-146", object? knobs = null, string licenseMode = "Enterprise", object? transport = null)
    {
        var cluster = ClusterSpec.New(tag, version);
        await Simulators.Uc.PutClusterAsync(cluster, knobs, licenseMode, transport);
        await Chpa.AddClusterAsync(cluster);
        return cluster;
    }
}
