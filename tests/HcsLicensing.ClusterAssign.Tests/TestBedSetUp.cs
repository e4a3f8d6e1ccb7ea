using HcsLicensing.TestBed;
using HcsLicensing.TestBed.Suite;

namespace HcsLicensing.ClusterAssign.Tests;

/// <summary>
/// Once all this assembly's tests ran (each disposes its own suite): removes the copies of the builds the suites ran
/// from, then stops RabbitMQ and PostgreSQL.
/// </summary>
[SetUpFixture]
public sealed class TestBedSetUp
{
    [OneTimeTearDown]
    public async Task StopServers()
    {
        HcsSuite.DeleteBuildSnapshots();
        await SharedTestServers.StopAsync();
    }
}
