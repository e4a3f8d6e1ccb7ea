using HcsLicensing.TestBed;
using HcsLicensing.TestBed.Suite;

namespace HcsLicensing.BadInput.Tests;

/// <summary>Once all this assembly's tests ran: removes the suite's build copies, then stops RabbitMQ and PostgreSQL.</summary>
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
