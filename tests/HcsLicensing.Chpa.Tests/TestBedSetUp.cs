using HcsLicensing.Chpa.Tests.Support;
using HcsLicensing.TestBed;

namespace HcsLicensing.Chpa.Tests;

/// <summary>Stops this assembly's CHPA, simulators, RabbitMQ and PostgreSQL once all its tests ran.</summary>
[SetUpFixture]
public sealed class TestBedSetUp
{
    [OneTimeTearDown]
    public async Task StopServers()
    {
        await SharedChpa.StopAsync();
        await Simulators.StopAsync();
        await SharedTestServers.StopAsync();
    }
}
