using HcsLicensing.TestBed;

namespace HcsLicensing.SmartAccountSync.Tests;

/// <summary>Stops this assembly's RabbitMQ and PostgreSQL once all its tests ran.</summary>
[SetUpFixture]
public sealed class TestBedSetUp
{
    [OneTimeTearDown]
    public Task StopServers() => SharedTestServers.StopAsync();
}
