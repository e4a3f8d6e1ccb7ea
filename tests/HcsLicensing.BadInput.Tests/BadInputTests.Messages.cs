using System.Text;
using System.Text.Json;
using HcsLicensing.TestBed;
using RabbitMQ.Client;

namespace HcsLicensing.BadInput.Tests;

/// <summary>
/// Malformed messages for each service's consumers, sent straight to their queues as any publisher on the broker
/// could: a string past its field's limit, an enum number that names nothing. Each ends in the queue's _error queue
/// with the reason naming the field, and no database changes.
/// </summary>
public partial class BadInputTests
{
    [Test]
    [Order(2)] // before the dump test, which changes the databases
    public async Task Malformed_messages_end_in_the_error_queue_naming_the_field_and_change_nothing()
    {
        var prefix = _suite.EndpointPrefix;
        var cases = new (string Queue, string? MessageType, object Message, string Field)[]
        {
            ("cluster-assignment-requests", null, new { requestId = "bad-msg-1", clusterName = new string('c', 65), smartAccountDomain = "hcs-demo.example.com", virtualAccountName = "HCS-CUST-0001" }, "clusterName"),
            ("cluster-unassignment-requests", null, new { requestId = "bad-msg-2", clusterName = "hcs-cl-0001", requestedBy = new string('r', 257) }, "requestedBy"),
            ("chpa", "urn:message:HcsLicensing.Contracts.Chpa:VerifyClusterRequest", new { clusterName = new string('x', 5_000) }, "clusterName"),
            ("get-registration-token", "urn:message:HcsLicensing.Contracts.SmartAccounts:GetRegistrationTokenRequest", new { smartAccountDomain = "hcs-demo.example.com", virtualAccountName = new string('v', 300) }, "virtualAccountName"),
            ("job-state", "urn:message:HcsLicensing.Contracts.Jobs:JobStepChanged", new { jobId = Guid.NewGuid(), step = "Verification", status = 7, occurredAt = DateTimeOffset.UtcNow }, "status: not one of"),
            ("job-state", "urn:message:HcsLicensing.Contracts.Jobs:JobProgressed", new { jobId = Guid.NewGuid(), steps = new[] { new { jobId = Guid.NewGuid(), step = new string('s', 5_000), status = 2, occurredAt = DateTimeOffset.UtcNow } } }, "steps[0].step: longer than"),
        };
        var before = await FingerprintsAsync();
        await using var connection = await new ConnectionFactory { Uri = _suite.Servers.RabbitMq.AmqpUri }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var reasons = new Dictionary<string, List<string>>();

        foreach (var (queue, messageType, message, _) in cases)
        {
            // Declared as MassTransit declares it, so that polling before the fault arrives finds it empty, not missing.
            await channel.QueueDeclareAsync($"{prefix}{queue}_error", durable: true, exclusive: false, autoDelete: false);
            var body = messageType is null
                ? JsonSerializer.SerializeToUtf8Bytes(message)
                : JsonSerializer.SerializeToUtf8Bytes(new { messageId = Guid.NewGuid(), messageType = new[] { messageType }, message });
            var properties = new BasicProperties
            {
                ContentType = messageType is null ? "application/json" : "application/vnd.masstransit+json",
                Persistent = true,
                MessageId = Guid.NewGuid().ToString(),
            };
            await channel.BasicPublishAsync("", $"{prefix}{queue}", mandatory: true, properties, body);
        }

        // A queue with several cases gets their faults in any order: each case's field is looked for among them all.
        foreach (var (queue, _, _, _) in cases)
        {
            var errored = await Eventually.Poll(async () => await channel.BasicGetAsync($"{prefix}{queue}_error", autoAck: true), r => r is not null, TimeSpan.FromSeconds(30));
            reasons.TryAdd(queue, []);
            reasons[queue].Add(Encoding.UTF8.GetString((byte[])errored!.BasicProperties.Headers!["MT-Fault-Message"]!));
        }

        var after = await FingerprintsAsync();
        Assert.Multiple(() =>
        {
            foreach (var (queue, _, _, field) in cases)
            {
                Assert.That(reasons[queue], Has.Some.Contains(field), queue);
            }

            Assert.That(after.Where(t => before.GetValueOrDefault(t.Key) != t.Value).Select(t => t.Key), Is.Empty, "no database table changed");
        });
    }
}
