using HcsLicensing.TestBed;

namespace HcsLicensing.JobTracker.Tests;

/// <summary>Stops this assembly's JobTracker host, then its RabbitMQ and PostgreSQL, once all its tests ran.</summary>
[SetUpFixture]
public sealed class TestBedSetUp
{
    [OneTimeTearDown]
    public async Task StopServers()
    {
        await JobTrackerHost.StopAsync();
        await SharedTestServers.StopAsync();
    }
}
