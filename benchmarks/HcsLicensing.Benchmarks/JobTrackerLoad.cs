using System.Diagnostics;
using System.Net.Http.Json;
using HcsLicensing.Contracts.ClusterAssignments;
using HcsLicensing.Contracts.Jobs;
using HcsLicensing.TestBed;
using HcsLicensing.TestBed.Security;
using MassTransit;

namespace HcsLicensing.Benchmarks;

/// <summary>
/// N jobs' worth of job events (created, four steps Inprogress then Pass, succeeded: 10 events a job) published
/// at once into a JobTracker process; measures how fast the Job saga records them all, through the real
/// broker, the saga repository and PostgreSQL. Events of one job race each other, as they may in production.
/// </summary>
internal static class JobTrackerLoad
{
    private static readonly string[] Steps = [ClusterOperationSteps.Verification, ClusterOperationSteps.LicenseModeChange, ClusterOperationSteps.TransportModeChange, ClusterOperationSteps.Registration];

    public static async Task<double> RunAsync(TestServers servers, int jobs)
    {
        var prefix = $"bench-{Guid.NewGuid().ToString("N")[..6]}-";
        var database = await servers.Postgres.CreateDatabaseAsync("bench_jobtracker");
        // The Jobs API wants a token: the suite's issuer, as a process of its own like JobTracker.
        await using var issuer = await TestIssuer.StartAsync(servers);
        await using var jobTracker = await ServiceProcess.StartAsync(await ReleaseBuild.OfServiceAsync("HcsLicensing.JobTracker"), new Dictionary<string, string>(issuer.ServiceEnvironment)
        {
            ["ConnectionStrings__Database"] = database,
            ["ConnectionStrings__RabbitMq"] = servers.RabbitMq.AmqpUri.ToString(),
            ["Messaging__EndpointPrefix"] = prefix,
        });

        var bus = Bus.Factory.CreateUsingRabbitMq(rabbit => rabbit.Host(servers.RabbitMq.AmqpUri));
        await bus.StartAsync();
        try
        {
            var bearer = issuer.CreateHandler();
            bearer.InnerHandler = new SocketsHttpHandler();
            using var http = new HttpClient(bearer) { BaseAddress = jobTracker.Address };
            await PublishJobsAsync(bus, 20);
            await WaitForSucceededAsync(http, 20);

            var clock = Stopwatch.StartNew();
            await PublishJobsAsync(bus, jobs);
            var published = clock.Elapsed;
            await WaitForSucceededAsync(http, 20 + jobs);
            clock.Stop();

            var events = jobs * 10;
            var eventsPerSecond = events / clock.Elapsed.TotalSeconds;
            Console.WriteLine(
                $"jobtracker: {jobs} jobs ({events} events) recorded in {clock.Elapsed.TotalSeconds:F2} s " +
                $"(published in {published.TotalSeconds:F2} s): {jobs / clock.Elapsed.TotalSeconds:F0} jobs/s, {eventsPerSecond:F0} events/s");
            return eventsPerSecond;
        }
        finally
        {
            await bus.StopAsync();
        }
    }

    private static async Task PublishJobsAsync(IBus bus, int jobs)
    {
        var now = DateTimeOffset.UtcNow;
        using var inFlight = new SemaphoreSlim(512);
        await Task.WhenAll(Enumerable.Range(0, jobs).SelectMany(_ => JobEvents(Guid.NewGuid(), now)).Select(async message =>
        {
            await inFlight.WaitAsync();
            try
            {
                await bus.Publish(message, message.GetType());
            }
            finally
            {
                inFlight.Release();
            }
        }));
    }

    private static IEnumerable<object> JobEvents(Guid jobId, DateTimeOffset at)
    {
        yield return new JobCreated { JobId = jobId, EntityType = "Cluster", EntityName = "bench", Description = "Assignment of Cluster bench to HCS-DEMO started", Steps = Steps, InitiatedAt = at };
        foreach (var step in Steps)
        {
            yield return new JobStepChanged { JobId = jobId, Step = step, Status = JobStepStatus.Inprogress, OccurredAt = at };
            yield return new JobStepChanged { JobId = jobId, Step = step, Status = JobStepStatus.Pass, OccurredAt = at };
        }

        yield return new JobSucceeded { JobId = jobId, Description = "Assignment of Cluster bench to HCS-DEMO completed", CompletedAt = at };
    }

    private static async Task WaitForSucceededAsync(HttpClient http, int expected)
    {
        var deadline = DateTime.UtcNow.AddMinutes(10);
        while (DateTime.UtcNow < deadline)
        {
            var page = await http.GetFromJsonAsync<JobPage>("/jobs?status=Succeeded&pageSize=1");
            if (page?.TotalCount >= expected)
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"fewer than {expected} jobs succeeded within 10 minutes");
    }

    private sealed record JobPage(int TotalCount);
}
