using HcsLicensing.TestBed;

namespace HcsLicensing.Observability.Tests;

/// <summary>Stops this assembly's RabbitMQ and PostgreSQL once all its tests ran.</summary>
[SetUpFixture]
public sealed class TestBedSetUp
{
    [OneTimeTearDown]
    public async Task StopServers() => await SharedTestServers.StopAsync();
}
