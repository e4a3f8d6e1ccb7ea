using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using HcsLicensing.Contracts.ClusterAssignments;
using HcsLicensing.TestBed;
using HcsLicensing.TestBed.Suite;
using MassTransit;

namespace HcsLicensing.Benchmarks;

/// <summary>
/// The reliability drill (issue 11): the whole suite in Release on real servers, N assignments (half by message, half
/// by HTTP) to clusters whose publishers answer with random latency and restart for a random time after a register,
/// while <see cref="DrillFaults"/> kills the services and stops the broker, the database and the publishers. Then it
/// waits for quiescence and judges every job by what JobTracker, ClusterAssign and the UC simulator each say
/// (<see cref="DrillReport"/>). Exit code 0 on PASS, 1 on FAIL.
/// </summary>
internal static class Drill
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>How long before a fault its share of the jobs starts: long enough for some to be in flight when it hits.</summary>
    private static readonly TimeSpan Lead = TimeSpan.FromSeconds(3);

    public static async Task<int> RunAsync(TestServers servers, DrillSettings settings)
    {
        if (!servers.CanStopServers)
        {
            await Console.Error.WriteLineAsync($"drill: needs the test bed's local RabbitMQ and PostgreSQL (it stops and starts them); these are {servers.Source} servers");
            return 2;
        }

        var options = SuiteOptions.Fast with
        {
            Servers = servers,
            // TakeClusterNames skips every fifth (those start registered).
            Clusters = (settings.Jobs * 5 / 4) + 10,
            VirtualAccounts = 50,
            CssmLatencyMs = 50,
            // Each cluster gets its own latency and restart below; CHPA polls a restarting publisher every second.
            UcLatencyMs = 0,
            UcRestartSeconds = 2,
            ChpaRegistrationPollInterval = TimeSpan.FromSeconds(1),
            LogLevel = "Warning",
            ReadyTimeout = TimeSpan.FromMinutes(3),
        };

        Console.WriteLine($"drill: {settings.Jobs} assignments{(settings.Short ? " (short form)" : "")}, seed {settings.Seed}; starting the suite (Release builds of the six processes)...");
        var suite = await HcsSuite.StartAsync(options);
        try
        {
            return await RunOnSuiteAsync(suite, servers, settings);
        }
        finally
        {
            await suite.DisposeAsync();
            HcsSuite.DeleteBuildSnapshots();
        }
    }

    private static async Task<int> RunOnSuiteAsync(HcsSuite suite, TestServers servers, DrillSettings settings)
    {
        var clock = Stopwatch.StartNew();
        var account = await suite.ConfigureSmartAccountAsync();
        var virtualAccounts = account.VirtualAccounts.Take(10).ToList();
        var names = suite.TakeClusterNames(settings.Jobs);
        await suite.AddClustersToInventoryAsync(names, maxParallel: 8);
        await RandomizePublishersAsync(suite, names, settings);
        Console.WriteLine($"setup: smart account synced, {names.Count} clusters in CHPA's inventory with random publisher latency (5-150 ms) and restart (1-{settings.MaxRestartSeconds} s), in {clock.Elapsed.TotalSeconds:F0} s");

        var runId = Guid.NewGuid().ToString("N")[..6];
        var jobs = names.Select((name, i) => new DrillJob(i, $"drill-{runId}-{i}", name, virtualAccounts[i % virtualAccounts.Count], ByHttp: i % 2 == 1)).ToList();
        var bus = Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(servers.RabbitMq.AmqpUri);
            // As the services: enums travel by name.
            rabbit.ConfigureJsonSerializerOptions(json =>
            {
                if (!json.Converters.OfType<JsonStringEnumConverter>().Any())
                {
                    json.Converters.Add(new JsonStringEnumConverter());
                }

                return json;
            });
        });
        await bus.StartAsync();
        try
        {
            using var clusterAssign = suite.CreateClient(SuiteService.ClusterAssign, TimeSpan.FromSeconds(30));
            var faults = new DrillFaults(suite, settings, Stopwatch.StartNew());
            await RunFaultsUnderLoadAsync(jobs, faults.Plan(), settings, job => SubmitAsync(job, bus, clusterAssign));
            Console.WriteLine($"run: faults over at {clock.Elapsed.TotalSeconds:F0} s; {jobs.Count(j => j.Accepted)} of {jobs.Count} submissions accepted; waiting for quiescence (at most {settings.QuiescenceCap.TotalMinutes:F0} min)...");

            var broker = await BrokerStats.FindAsync() ?? throw new InvalidOperationException("the local RabbitMQ node does not answer rabbitmqctl");
            var quiet = await WaitForQuiescenceAsync(suite, broker, settings);
            var report = await DrillReport.GatherAsync(suite, broker, settings, jobs, faults.Timeline, quiet);
            report.Print();
            return report.Passed ? 0 : 1;
        }
        finally
        {
            await bus.StopAsync();
        }
    }

    /// <summary>Each cluster's publisher gets a latency and a restart time of its own: registrations end in no particular order.</summary>
    private static async Task RandomizePublishersAsync(HcsSuite suite, IReadOnlyList<string> names, DrillSettings settings)
    {
        var random = new Random(settings.Seed);
        var knobs = names.Select(name => (name, latencyMs: random.Next(5, 151), restartSeconds: random.Next(1, settings.MaxRestartSeconds + 1))).ToList();
        using var uc = suite.CreateClient(SuiteService.UcSimulator);
        await Parallel.ForEachAsync(knobs, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (k, cancellationToken) =>
        {
            using var response = await uc.PutAsJsonAsync(new Uri($"admin/clusters/{Uri.EscapeDataString(k.name)}/knobs", UriKind.Relative), new { k.latencyMs, k.restartSeconds }, cancellationToken);
            response.EnsureSuccessStatusCode();
        });
    }

    /// <summary>
    /// Injects the faults one after another, each under load: the jobs are dealt into one share per fault and a last
    /// one; a fault's share is submitted from <see cref="Lead"/> before it (so that jobs are in flight when it hits)
    /// through its window (so that some arrive while the suite is disturbed); the last share after every fault, once
    /// everything is back. Submissions are open loop: one being retried never holds up the next. Returns once every
    /// submission has settled (accepted or refused).
    /// </summary>
    private static async Task RunFaultsUnderLoadAsync(List<DrillJob> jobs, IReadOnlyList<DrillFault> plan, DrillSettings settings, Func<DrillJob, Task> submit)
    {
        var shares = Enumerable.Range(0, plan.Count + 1).Select(k => jobs.Where(job => job.Index * (plan.Count + 1) / jobs.Count == k).ToList()).ToList();
        var submissions = new List<Task>();
        foreach (var (fault, share) in plan.Zip(shares))
        {
            Console.WriteLine($"  {fault.Name}: {share.Count} assignments over {(Lead + fault.Window).TotalSeconds:F0} s around it");
            submissions.Add(SubmitSpreadAsync(share, Lead + fault.Window, submit));
            await Task.Delay(Lead);
            await fault.InjectAsync();
            await Task.Delay(settings.BetweenFaults);
        }

        Console.WriteLine($"  after the faults: {shares[^1].Count} assignments over 10 s");
        submissions.Add(SubmitSpreadAsync(shares[^1], TimeSpan.FromSeconds(10), submit));
        var all = Task.WhenAll(submissions);
        while (await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(30))) != all)
        {
            var pending = jobs.Where(job => !job.Settled).ToList();
            Console.WriteLine($"  {pending.Count} submissions still being retried, e.g. {string.Join("; ", pending.Take(3).Select(j => $"{j.ClusterName} ({(j.ByHttp ? "HTTP" : "message")}, attempt {j.Attempts}: {j.LastError ?? "first attempt running"})"))}");
        }

        await all;
    }

    /// <summary>Starts the i-th of the jobs at i/count of the window, without waiting for the earlier ones; returns once all have settled.</summary>
    private static async Task SubmitSpreadAsync(List<DrillJob> jobs, TimeSpan window, Func<DrillJob, Task> submit)
    {
        var start = Stopwatch.GetTimestamp();
        var running = new List<Task>(jobs.Count);
        for (var i = 0; i < jobs.Count; i++)
        {
            var wait = (window * i / jobs.Count) - Stopwatch.GetElapsedTime(start);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            running.Add(submit(jobs[i]));
        }

        await Task.WhenAll(running);
    }

    /// <summary>
    /// Submits as a client that must get its request through would: on a refused connection, a 5xx or a broker that
    /// is away it tries again with the same request id (which makes the retry safe) until accepted, for up to 10 minutes.
    /// </summary>
    private static async Task SubmitAsync(DrillJob job, IBus bus, HttpClient clusterAssign)
    {
        var giveUp = Stopwatch.StartNew();
        string? lastError = null;
        while (giveUp.Elapsed < TimeSpan.FromMinutes(10))
        {
            job.Attempts++;
            try
            {
                if (job.ByHttp)
                {
                    using var response = await clusterAssign.PostAsJsonAsync(
                        new Uri($"clusters/{Uri.EscapeDataString(job.ClusterName)}/assignment", UriKind.Relative),
                        new { smartAccountDomain = HcsSuite.SmartAccountDomain, virtualAccount = job.VirtualAccount, requestId = job.RequestId, requestedBy = "drill" },
                        Json);
                    var body = await response.Content.ReadAsStringAsync();
                    // A 202, or a problem naming the job (e.g. 502 when Verification could not reach the publisher): the
                    // job exists and is judged with the others; asking again would only get the same answer.
                    if (JobIdOf(body) is { } jobId || response.StatusCode == HttpStatusCode.Accepted)
                    {
                        job.JobId = JobIdOf(body);
                        job.Accepted = true;
                        job.HttpAnswer = (int)response.StatusCode;
                        return;
                    }

                    lastError = $"HTTP {(int)response.StatusCode}: {(body.Length <= 300 ? body : body[..300])}";
                    if ((int)response.StatusCode is >= 400 and < 500 and not 408 and not 429)
                    {
                        job.Refusal = lastError;
                        return;
                    }
                }
                else
                {
                    // WaitAsync as well as the token, so that a publish caught by the broker's stop cannot hold the drill
                    // whatever MassTransit does with the token; a repeat is safe (same request id).
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                    await bus.Publish(
                        new ClusterAssignmentRequest
                        {
                            RequestId = job.RequestId,
                            ClusterName = job.ClusterName,
                            SmartAccountDomain = HcsSuite.SmartAccountDomain,
                            VirtualAccountName = job.VirtualAccount,
                            RequestedBy = "drill",
                        },
                        timeout.Token).WaitAsync(TimeSpan.FromSeconds(20));
                    job.Accepted = true;
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException or TimeoutException or MassTransitException or RabbitMQ.Client.Exceptions.RabbitMQClientException or JsonException)
            {
                lastError = $"{e.GetType().Name}: {e.Message}";
            }

            job.LastError = lastError;

            await Task.Delay(TimeSpan.FromSeconds(2));
        }

        job.Refusal = $"not accepted within 10 minutes; last: {lastError}";
    }

    private static Guid? JobIdOf(string body)
    {
        try
        {
            using var answer = JsonDocument.Parse(body);
            return answer.RootElement.ValueKind == JsonValueKind.Object && answer.RootElement.TryGetProperty("jobId", out var id) && id.TryGetGuid(out var jobId) ? jobId : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// Polls until, for <see cref="DrillSettings.QuietFor"/> on end, JobTracker shows no job In Progress, ClusterAssign
    /// no running operation and no queue of the suite holds a message (ready or unacknowledged; error queues aside).
    /// Returns whether it got there before the cap.
    /// </summary>
    private static async Task<bool> WaitForQuiescenceAsync(HcsSuite suite, BrokerStats broker, DrillSettings settings)
    {
        using var jobTracker = suite.CreateClient(SuiteService.JobTracker, TimeSpan.FromSeconds(30));
        using var clusterAssign = suite.CreateClient(SuiteService.ClusterAssign, TimeSpan.FromSeconds(30));
        var cap = Stopwatch.StartNew();
        var quietSince = (TimeSpan?)null;
        var lastShown = TimeSpan.Zero;
        while (cap.Elapsed < settings.QuiescenceCap)
        {
            string state;
            try
            {
                var inProgress = (await jobTracker.GetFromJsonAsync<JsonElement>(new Uri("jobs?status=InProgress&pageSize=1", UriKind.Relative), Json)).GetProperty("totalCount").GetInt32();
                var running = (await DrillReport.ClusterSummaryAsync(clusterAssign)).Count(c => c.OperationRunning);
                var queued = (await broker.QueueMessagesAsync(suite.EndpointPrefix))
                    .Where(q => !q.Key.EndsWith("_error", StringComparison.Ordinal) && !q.Key.EndsWith("_skipped", StringComparison.Ordinal))
                    .Sum(q => q.Value);
                state = $"{inProgress} In Progress at JobTracker, {running} running at ClusterAssign, {queued} messages in the suite's queues";
                if (inProgress == 0 && running == 0 && queued == 0)
                {
                    quietSince ??= cap.Elapsed;
                    if (cap.Elapsed - quietSince >= settings.QuietFor)
                    {
                        Console.WriteLine($"  quiescent after {cap.Elapsed.TotalSeconds:F0} s");
                        return true;
                    }
                }
                else
                {
                    quietSince = null;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException or InvalidOperationException)
            {
                state = $"not readable: {e.GetType().Name}: {e.Message}";
                quietSince = null;
            }

            if (cap.Elapsed - lastShown >= TimeSpan.FromSeconds(30))
            {
                lastShown = cap.Elapsed;
                Console.WriteLine($"  t+{cap.Elapsed.TotalSeconds:F0} s: {state}");
            }

            await Task.Delay(TimeSpan.FromSeconds(5));
        }

        Console.WriteLine($"  NOT quiescent after {settings.QuiescenceCap.TotalMinutes:F0} min");
        return false;
    }
}

/// <summary>One assignment of the drill and how its submission went.</summary>
internal sealed record DrillJob(int Index, string RequestId, string ClusterName, string VirtualAccount, bool ByHttp)
{
    public bool Accepted { get; set; }

    /// <summary>Why it was never accepted (a 4xx, or still refused after 10 minutes); null if accepted.</summary>
    public string? Refusal { get; set; }

    public int Attempts { get; set; }

    /// <summary>Why the latest attempt was not accepted (while it is being retried).</summary>
    public string? LastError { get; set; }

    public bool Settled => Accepted || Refusal is not null;

    /// <summary>The HTTP status that accepted it: 202, or a problem that names the job it created (null for a published request).</summary>
    public int? HttpAnswer { get; set; }

    /// <summary>The job id ClusterAssign's HTTP answer named (null for a published request).</summary>
    public Guid? JobId { get; set; }
}
