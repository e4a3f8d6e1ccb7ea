using System.Text;
using System.Text.Json;
using HcsLicensing.TestBed;
using HcsLicensing.TestBed.Suite;
using RabbitMQ.Client;
using static HcsLicensing.ClusterAssign.Tests.EndToEnd.Operator;

namespace HcsLicensing.ClusterAssign.Tests.EndToEnd;

/// <summary>
/// A publisher that is not .NET (HCM-F itself is Java) speaks plain AMQP and plain JSON: no MassTransit envelope. It
/// sends to the request type's own queue, names its reply queue in MT-Response-Address, and gets the answer there;
/// a body missing a required field ends in the queue's _error queue with the reason.
/// </summary>
public class PlainJsonPublisherTests
{
    [Test]
    public async Task A_plain_JSON_assignment_request_gets_its_answer_and_its_job_succeeds()
    {
        var (suite, account) = await EndToEndSuite.GetAsync();
        var cluster = suite.TakeClusterNames(1)[0];
        await suite.AddClustersToInventoryAsync([cluster]);
        await using var connection = await new ConnectionFactory { Uri = suite.Servers.RabbitMq.AmqpUri }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var replies = $"{suite.EndpointPrefix}java-client-replies";
        await channel.QueueDeclareAsync(replies, durable: true, exclusive: false, autoDelete: false);
        var requestId = $"java-{Guid.NewGuid():N}";
        var body = JsonSerializer.SerializeToUtf8Bytes(new
        {
            requestId,
            clusterName = cluster,
            smartAccountDomain = HcsSuite.SmartAccountDomain,
            virtualAccountName = Va(account, 12),
            requestedBy = "sdrui",
        });

        await channel.BasicPublishAsync("", $"{suite.EndpointPrefix}cluster-assignment-requests", mandatory: true, Properties(("MT-Response-Address", $"queue:{replies}")), body);
        var answer = await Eventually.Poll(async () => await channel.BasicGetAsync(replies, autoAck: true), r => r is not null, TimeSpan.FromSeconds(60));
        var message = JsonDocument.Parse(answer!.Body).RootElement.GetProperty("message");
        var job = await suite.WaitForJobAsync(message.GetProperty("jobId").GetGuid(), TimeSpan.FromSeconds(60));

        Assert.Multiple(() =>
        {
            Assert.That(message.GetProperty("responseCode").GetString(), Is.EqualTo("PASS"));
            Assert.That(message.GetProperty("responseReason").GetString(), Is.EqualTo("SmartLicNoError"));
            Assert.That(message.GetProperty("requestId").GetString(), Is.EqualTo(requestId));
            Assert.That(job.Status, Is.EqualTo("Succeeded"));
            Assert.That(job.EntityName, Is.EqualTo(cluster));
        });
    }

    [Test]
    public async Task A_plain_JSON_request_without_a_cluster_name_goes_to_the_error_queue_with_the_reason()
    {
        var (suite, account) = await EndToEndSuite.GetAsync();
        await using var connection = await new ConnectionFactory { Uri = suite.Servers.RabbitMq.AmqpUri }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var body = Encoding.UTF8.GetBytes($$"""{"requestId":"bad-1","smartAccountDomain":"{{HcsSuite.SmartAccountDomain}}","virtualAccountName":"{{Va(account, 0)}}"}""");

        // Declared as MassTransit declares it, so that polling it before the first fault arrives finds it empty, not missing.
        var errors = $"{suite.EndpointPrefix}cluster-assignment-requests_error";
        await channel.QueueDeclareAsync(errors, durable: true, exclusive: false, autoDelete: false);

        await channel.BasicPublishAsync("", $"{suite.EndpointPrefix}cluster-assignment-requests", mandatory: true, Properties(), body);
        var errored = await Eventually.Poll(async () => await channel.BasicGetAsync(errors, autoAck: true), r => r is not null, TimeSpan.FromSeconds(30));
        var reason = Encoding.UTF8.GetString((byte[])errored!.BasicProperties.Headers!["MT-Fault-Message"]!);

        Assert.Multiple(() =>
        {
            Assert.That(errored.Body.ToArray(), Is.EqualTo(body), "kept as sent");
            Assert.That(reason, Does.Contain("clusterName"));
        });
    }

    private static BasicProperties Properties(params (string Name, string Value)[] headers) => new()
    {
        ContentType = "application/json",
        Persistent = true,
        MessageId = Guid.NewGuid().ToString(),
        Headers = headers.ToDictionary(h => h.Name, h => (object?)h.Value),
    };
}
