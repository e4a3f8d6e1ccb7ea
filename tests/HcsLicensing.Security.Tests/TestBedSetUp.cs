using HcsLicensing.TestBed;
using HcsLicensing.TestBed.Suite;

namespace HcsLicensing.Security.Tests;

/// <summary>Stops the suite, removes the suite's build copies and stops this assembly's RabbitMQ and PostgreSQL once all its tests ran.</summary>
[SetUpFixture]
public sealed class TestBedSetUp
{
    [OneTimeTearDown]
    public async Task StopServers()
    {
        await SecuritySuite.StopAsync();
        HcsSuite.DeleteBuildSnapshots();
        await SharedTestServers.StopAsync();
    }
}
