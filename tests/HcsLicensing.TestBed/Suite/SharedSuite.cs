namespace HcsLicensing.TestBed.Suite;

/// <summary>
/// One suite for many tests (a namespace's or an assembly's, held by their [SetUpFixture]): started by the first test
/// that asks for it, once however many ask at the same time, and stopped by the fixture's [OneTimeTearDown]. A suite
/// takes 40-80 s to start on our CI machine; each test takes clusters of its own instead of a suite of its own. The
/// fixture gives the suite's options; the suite starts with the demo smart account configured.
/// </summary>
public sealed class SharedSuite(Func<SuiteOptions> options)
{
    private readonly Lock _gate = new();
    private Task<(HcsSuite Suite, SmartAccountInfo Account)>? _started;

    public Task<(HcsSuite Suite, SmartAccountInfo Account)> GetAsync()
    {
        lock (_gate)
        {
            return _started ??= StartAsync();
        }
    }

    /// <summary>The suite with the demo smart account configured; a suite whose configuration fails is stopped.</summary>
    private async Task<(HcsSuite Suite, SmartAccountInfo Account)> StartAsync()
    {
        var suite = await HcsSuite.StartAsync(options());
        try
        {
            return (suite, await suite.ConfigureSmartAccountAsync());
        }
        catch
        {
            await suite.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops the suite if it started (a failed start has nothing left to stop: HcsSuite cleans up after itself).</summary>
    public async Task StopAsync()
    {
        if (_started is { IsCompletedSuccessfully: true })
        {
            await (await _started).Suite.DisposeAsync();
        }
    }
}
