using System.Security.Authentication;
using HcsLicensing.ServiceDefaults.ErrorQueues;
using HcsLicensing.ServiceDefaults.Health;
using HcsLicensing.ServiceDefaults.Tests.Support;
using HcsLicensing.TestBed;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace HcsLicensing.ServiceDefaults.Tests.Messaging;

/// <summary>
/// A service whose ConnectionStrings:RabbitMq is amqps:// speaks TLS to the broker on every connection it opens (bus,
/// error queue tools, readiness), and only to a broker whose certificate a trusted CA signed. The broker is a node of
/// its own with a TLS listener on a free port (not 5671: the scheme must decide, not the port) and a certificate from a
/// CA openssl made for the test.
/// </summary>
[NonParallelizable]
public class BrokerTlsTests
{
    private TestServers servers = null!;
    private LocalRabbitMq broker = null!;
    private RabbitMqTlsListener listener = null!;
    private string directory = null!;
    private TestCertificateAuthority anotherAuthority = null!;
    private string database = null!;

    [OneTimeSetUp]
    public async Task StartABrokerWithATlsListener()
    {
        servers = await SharedTestServers.GetAsync();
        broker = await LocalRabbitMq.StartWithTlsAsync();
        listener = broker.Tls!;
        directory = Directory.CreateTempSubdirectory("hcs-broker-tls-").FullName;
        anotherAuthority = await TestCertificateAuthority.CreateAsync(directory, "another-ca");
        database = await ServiceHost.CreateDatabaseAsync(servers);
    }

    [OneTimeTearDown]
    public async Task StopTheBroker()
    {
        await broker.DisposeAsync();
        Directory.Delete(directory, recursive: true);
    }

    [Test]
    public async Task A_service_on_amqps_trusting_the_brokers_CA_sends_and_consumes_a_message_and_is_ready()
    {
        var prefix = ServiceHost.NewPrefix("tls");
        var pings = new Recorder<BrokerPing>();
        using var host = await ServiceHost.StartAsync(
            servers,
            database,
            prefix,
            bus => bus.AddConsumer<RecordingConsumer<BrokerPing>>().Endpoint(e => e.Name = $"{prefix}-pings"),
            Settings(listener.CaCertificatePath),
            services => services.AddSingleton(pings));
        try
        {
            var ping = Guid.NewGuid();
            await (await host.Services.GetRequiredService<IBus>().GetSendEndpoint(new Uri($"queue:{prefix}-pings"))).Send(new BrokerPing(ping));
            var consumed = await Eventually.Poll(() => Task.FromResult(pings.Received.Any(p => p.Message.Id == ping)), c => c, TimeSpan.FromSeconds(30));
            var readiness = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(c => c.Tags.Contains(HealthExtensions.ReadyTag));
            var errorQueues = await host.Services.GetRequiredService<ErrorQueueBroker>().DepthsAsync();

            Assert.Multiple(() =>
            {
                Assert.That(consumed, Is.True, "the message went through the broker's TLS listener and was consumed");
                Assert.That(readiness.Status, Is.EqualTo(HealthStatus.Healthy), string.Join("; ", readiness.Entries.Select(e => $"{e.Key}: {e.Value.Description}")));
                Assert.That(readiness.Entries[BrokerReachability.Name].Description, Does.Contain("TLS"));
                Assert.That(errorQueues.Select(q => q.Queue.Name), Does.Contain($"{prefix}-pings_error"), "the error queue tools reach the broker over TLS too");
            });
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [TestCase(true, TestName = "A broker whose certificate another CA signed is refused by a service trusting its own CA")]
    [TestCase(false, TestName = "A broker whose certificate a private CA signed is refused by a service trusting only the OS store")]
    public async Task A_broker_certificate_no_trusted_CA_signed_is_refused(bool trustAnotherCa)
    {
        var prefix = ServiceHost.NewPrefix("tls-refused");
        var pings = new Recorder<BrokerPing>();
        using var host = ServiceHost.Build(
            servers,
            database,
            prefix,
            bus => bus.AddConsumer<RecordingConsumer<BrokerPing>>().Endpoint(e => e.Name = $"{prefix}-pings"),
            Settings(trustAnotherCa ? anotherAuthority.CertificatePath : null),
            services => services.AddSingleton(pings));

        var readiness = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(c => c.Name == BrokerReachability.Name);
        var errorQueues = Assert.CatchAsync(() => host.Services.GetRequiredService<ErrorQueueBroker>().DepthsAsync());
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var start = Assert.CatchAsync(() => host.StartAsync(patience.Token));
        var busHealth = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(c => c.Tags.Contains(HealthExtensions.ReadyTag) && c.Name != BrokerReachability.Name);

        Assert.Multiple(() =>
        {
            Assert.That(readiness.Status, Is.EqualTo(HealthStatus.Unhealthy), "readiness refuses a broker it does not trust");
            Assert.That(readiness.Entries[BrokerReachability.Name].Exception, Is.InstanceOf<AuthenticationException>());
            Assert.That(Chain(errorQueues).OfType<AuthenticationException>(), Is.Not.Empty, $"the error queue tools refused the certificate: {errorQueues}");
            Assert.That(start, Is.Not.Null, "the bus did not start");
            Assert.That(busHealth.Status, Is.Not.EqualTo(HealthStatus.Healthy), "the bus is not ready either");
            Assert.That(pings.Received, Is.Empty);
        });
    }

    [Test]
    public void A_service_whose_CA_file_is_missing_or_that_names_the_TLS_port_with_amqp_does_not_start()
    {
        var missingCa = Assert.Throws<InvalidOperationException>(() => ServiceHost.Build(servers, database, "tls-bad", _ => { }, Settings(Path.Combine(directory, "nowhere.pem"))));
        var plainOnTlsPort = Assert.Throws<InvalidOperationException>(() => ServiceHost.Build(
            servers, database, "tls-bad", _ => { }, new Dictionary<string, string?> { ["ConnectionStrings:RabbitMq"] = "amqp://guest:guest@127.0.0.1:5671/" }));

        Assert.Multiple(() =>
        {
            Assert.That(missingCa?.Message, Does.Contain("Messaging:Tls:CaCertificatePath"));
            Assert.That(plainOnTlsPort?.Message, Does.Contain("amqps://"));
        });
    }

    private Dictionary<string, string?> Settings(string? trustedCa) => new()
    {
        ["ConnectionStrings:RabbitMq"] = listener.AmqpsUri.ToString(),
        ["Messaging:Tls:CaCertificatePath"] = trustedCa,
        ["Messaging:RetryLimit"] = "1",
    };

    private static IEnumerable<Exception> Chain(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            yield return current;
        }
    }
}

/// <summary>A message that only has to get through.</summary>
public sealed record BrokerPing(Guid Id);
