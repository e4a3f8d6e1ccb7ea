using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HcsLicensing.TestBed;
using HcsLicensing.TestBed.Suite;
using RabbitMQ.Client;
using static HcsLicensing.ClusterAssign.Tests.EndToEnd.Operator;

namespace HcsLicensing.ClusterAssign.Tests.ScaleOut;

/// <summary>
/// The deployment's shape on this machine: three RabbitMQ nodes (quorum queues) and three replicas of each of the four
/// services. Assignments arrive half by HTTP, spread over ClusterAssign's replicas, and half as plain-JSON messages;
/// meanwhile one RabbitMQ node is stopped and started again and one replica of each service is killed. Every job must
/// succeed, each cluster be registered exactly once, and the Cluster Summary agree with JobTracker. CI runs a short
/// form (HCS_SCALEOUT_ASSIGNMENTS, 40 by default); the full form is 300.
/// </summary>
[Category("ScaleOut")]
public class ReplicatedSuiteTests
{
    private const int Replicas = 3;
    private static readonly TimeSpan JobTimeout = TimeSpan.FromMinutes(5);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Test]
    public async Task Assignments_all_succeed_once_each_while_a_broker_node_stops_and_a_replica_of_each_service_dies()
    {
        var count = int.TryParse(Environment.GetEnvironmentVariable("HCS_SCALEOUT_ASSIGNMENTS"), CultureInfo.InvariantCulture, out var n) ? n : 40;
        // Every fifth generated cluster starts registered and is skipped by TakeClusterNames.
        await using var suite = await HcsSuite.StartAsync(SuiteOptions.Fast with { Replicas = Replicas, RabbitMqNodes = 3, Clusters = count * 5 / 4 + 10 });
        var account = await suite.ConfigureSmartAccountAsync();
        var clusters = suite.TakeClusterNames(count);
        await suite.AddClustersToInventoryAsync(clusters, maxParallel: 8);
        var va = Va(account, 3);
        var byHttp = clusters.Take(count / 2).ToList();
        var byMessage = clusters.Skip(count / 2).ToList();

        await using var connection = await new ConnectionFactory { Uri = suite.RabbitMq.AmqpUri }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var replies = $"{suite.EndpointPrefix}scale-out-replies";
        await channel.QueueDeclareAsync(replies, durable: true, exclusive: false, autoDelete: false);

        // The first half of each kind before the faults, the rest while they happen.
        var jobs = new List<Guid>();
        jobs.AddRange(await AssignByHttpAsync(suite, byHttp.Take(byHttp.Count / 2), va));
        await PublishAsync(channel, suite, byMessage.Take(byMessage.Count / 2), va, replies);

        await suite.RabbitMqCluster!.Nodes[1].StopAsync();
        foreach (var service in new[] { SuiteService.JobTracker, SuiteService.SmartAccountSync, SuiteService.Chpa, SuiteService.ClusterAssign })
        {
            await suite.KillAsync(service, replica: 2);
        }

        jobs.AddRange(await AssignByHttpAsync(suite, byHttp.Skip(byHttp.Count / 2), va, replicas: 2));
        await PublishAsync(channel, suite, byMessage.Skip(byMessage.Count / 2), va, replies);
        await suite.RabbitMqCluster.Nodes[1].StartAgainAsync();

        jobs.AddRange(await RepliesAsync(channel, replies, byMessage.Count));
        var ended = await Task.WhenAll(jobs.Select(job => suite.WaitForJobAsync(job, JobTimeout)));
        var summary = await SummaryAsync(suite, va);
        var instances = await suite.GetProductInstancesAsync(va);

        Assert.Multiple(() =>
        {
            Assert.That(jobs, Has.Count.EqualTo(count).And.Unique, "one job per assignment");
            Assert.That(ended.Where(job => job.Status != "Succeeded").Select(Describe), Is.Empty);
            Assert.That(ended.Select(job => job.EntityName), Is.EquivalentTo(clusters));
            foreach (var cluster in clusters)
            {
                Assert.That(instances.Count(i => i.ProductInstanceName.Contains(cluster, StringComparison.Ordinal)), Is.EqualTo(1), $"{cluster}: product instances in CSSM");
                var line = summary.SingleOrDefault(s => s.Name == cluster);
                var job = ended.Single(j => j.EntityName == cluster);
                Assert.That(line?.LastJob?.JobId, Is.EqualTo(job.JobId), $"{cluster}: the Cluster Summary's last job is JobTracker's");
                Assert.That(line?.LastJob?.Status, Is.EqualTo(job.Status), $"{cluster}: the Cluster Summary agrees with JobTracker");
            }
        });
    }

    /// <summary>Assigns over HTTP, round robin over ClusterAssign's first <paramref name="replicas"/> replicas.</summary>
    private static async Task<IReadOnlyList<Guid>> AssignByHttpAsync(HcsSuite suite, IEnumerable<string> clusters, string va, int replicas = Replicas)
    {
        var clients = Enumerable.Range(0, replicas).Select(replica => suite.CreateClient(SuiteService.ClusterAssign, replica, TimeSpan.FromSeconds(60))).ToList();
        try
        {
            return await Task.WhenAll(clusters.Select(async (cluster, i) =>
            {
                using var response = await clients[i % clients.Count].PostAsJsonAsync(
                    new Uri($"clusters/{cluster}/assignment", UriKind.Relative), new { smartAccountDomain = HcsSuite.SmartAccountDomain, virtualAccount = va }, Json);
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted).Or.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
                return await JobIdOf(response);
            }));
        }
        finally
        {
            clients.ForEach(client => client.Dispose());
        }
    }

    /// <summary>Plain-JSON ClusterAssignmentRequests, as a non-.NET HCS service publishes them, answered on <paramref name="replies"/>.</summary>
    private static async Task PublishAsync(IChannel channel, HcsSuite suite, IEnumerable<string> clusters, string va, string replies)
    {
        foreach (var cluster in clusters)
        {
            var body = JsonSerializer.SerializeToUtf8Bytes(new { requestId = $"scale-{cluster}", clusterName = cluster, smartAccountDomain = HcsSuite.SmartAccountDomain, virtualAccountName = va });
            var properties = new BasicProperties
            {
                ContentType = "application/json",
                Persistent = true,
                MessageId = Guid.NewGuid().ToString(),
                Headers = new Dictionary<string, object?> { ["MT-Response-Address"] = $"queue:{replies}" },
            };
            await channel.BasicPublishAsync("", $"{suite.EndpointPrefix}cluster-assignment-requests", mandatory: true, properties, body);
        }
    }

    private static async Task<IReadOnlyList<Guid>> RepliesAsync(IChannel channel, string replies, int expected)
    {
        var jobs = new List<Guid>();
        var deadline = DateTime.UtcNow + JobTimeout;
        while (jobs.Count < expected && DateTime.UtcNow < deadline)
        {
            if (await channel.BasicGetAsync(replies, autoAck: true) is { } reply)
            {
                jobs.Add(JsonDocument.Parse(reply.Body).RootElement.GetProperty("message").GetProperty("jobId").GetGuid());
            }
            else
            {
                await Task.Delay(100);
            }
        }

        return jobs;
    }

    private static async Task<IReadOnlyList<SummaryLine>> SummaryAsync(HcsSuite suite, string va)
    {
        using var client = suite.CreateClient(SuiteService.ClusterAssign, replica: 1);
        var page = await client.GetFromJsonAsync<SummaryPage>(new Uri($"clusters?virtualAccount={Uri.EscapeDataString(va)}&pageSize=500", UriKind.Relative), Json);
        return page!.Items;
    }

    private sealed record SummaryPage(List<SummaryLine> Items);

    private sealed record SummaryLine(string Name, string? VirtualAccount, SummaryJob? LastJob);

    private sealed record SummaryJob(Guid JobId, string? Status);
}
