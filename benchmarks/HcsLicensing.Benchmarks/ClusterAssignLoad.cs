using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using HcsLicensing.Contracts.ClusterAssignments;
using HcsLicensing.TestBed;
using HcsLicensing.TestBed.Suite;
using MassTransit;

namespace HcsLicensing.Benchmarks;

/// <summary>
/// Cluster assignments end to end through the whole suite (HcsSuite: the four services and both simulators, each a
/// Release process of its own, on the test bed's RabbitMQ and PostgreSQL), with simulators that answer at once, so
/// that what is measured is the suite's own work: messages, saga transitions, commits.
/// <list type="number">
/// <item>Saturation: N assignments, at most K in flight (submitted, not yet ended): the sustained jobs/s.</item>
/// <item>Paced: N more at a fixed rate (open loop: sends do not wait for answers; default half the sustained rate):
/// latency percentiles at that load.</item>
/// </list>
/// A job's end is ClusterOperationCompleted arriving at the benchmark's bus (published by ClusterAssign with
/// JobSucceeded, after the saga's final transition is committed): measured the same way as another HCS service
/// would see it, per job, with no polling. JobTracker's record of each job (lastUpdatedAt: when it applied the
/// job's last event, on the same machine's clock) is read afterwards and reported as well: when the Jobs page shows it.
/// </summary>
internal static class ClusterAssignLoad
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<int> RunAsync(TestServers servers, MachineRates machine, ClusterAssignSettings settings)
    {
        var clustersNeeded = settings.Warmup + ((settings.SaturationOnly ? 1 : 2) * settings.Jobs);
        // A registration waits for the publisher's restart (0 s unless --uc-restart) by polls, rows of CHPA's outbox due one poll interval later.
        var chpaEnvironment = new Dictionary<string, string>();
        if (settings.SchedulerPollInterval is { } schedulerPoll)
        {
            chpaEnvironment["Outbox__PollInterval"] = schedulerPoll.ToString("c", CultureInfo.InvariantCulture);
        }

        var options = SuiteOptions.Fast with
        {
            Servers = servers,
            // TakeClusterNames skips every fifth (those start registered).
            Clusters = (clustersNeeded * 5 / 4) + 10,
            VirtualAccounts = 50,
            CssmLatencyMs = 0,
            UcLatencyMs = 0,
            UcRestartSeconds = settings.UcRestartSeconds,
            ChpaRegistrationPollInterval = settings.ChpaPollInterval,
            LogLevel = "Warning",
            Replicas = settings.Replicas,
            RabbitMqNodes = settings.RabbitMqNodes,
            CommonEnvironment = settings.Environment,
            Environment = new Dictionary<SuiteService, IReadOnlyDictionary<string, string>> { [SuiteService.Chpa] = chpaEnvironment },
        };

        Console.WriteLine($"clusterassign: starting the suite (Release builds; {settings.Replicas} replica(s) of each service, {settings.RabbitMqNodes} RabbitMQ node(s); {options.Clusters} UC clusters, {options.VirtualAccounts} VAs)...");
        var suite = await HcsSuite.StartAsync(options);
        try
        {
            return await RunOnSuiteAsync(suite, machine, settings, clustersNeeded);
        }
        finally
        {
            await suite.DisposeAsync();
            HcsSuite.DeleteBuildSnapshots();
        }
    }

    private static async Task<int> RunOnSuiteAsync(HcsSuite suite, MachineRates machine, ClusterAssignSettings settings, int clustersNeeded)
    {
        var clock = Stopwatch.StartNew();
        var account = await suite.ConfigureSmartAccountAsync();
        var virtualAccounts = account.VirtualAccounts.Take(settings.VirtualAccounts).ToList();
        var names = suite.TakeClusterNames(clustersNeeded);
        await suite.AddClustersToInventoryAsync(names, maxParallel: 8);
        Console.WriteLine(
            $"setup: smart account {account.Domain} synced ({account.VirtualAccountCount} VAs; assigning to {virtualAccounts.Count}: {string.Join(", ", virtualAccounts)}), " +
            $"{names.Count} clusters added to CHPA's inventory, in {clock.Elapsed.TotalSeconds:F1} s (not timed)");

        // A cluster's counters are per node (each counts what its own connections did): left uncounted rather than partial.
        var broker = suite.RabbitMqCluster is null ? await BrokerStats.FindAsync() : null;
        var observer = new LoadObserver();
        var bus = ObserverBus.Create(suite.RabbitMq, $"{suite.EndpointPrefix}benchmark-observer", observer, settings.Steps);
        // One client per ClusterAssign replica; submissions take them in turn (a load balancer's round robin).
        var http = Enumerable.Range(0, suite.ReplicasOf(SuiteService.ClusterAssign))
            .Select(replica => suite.CreateClient(SuiteService.ClusterAssign, replica, TimeSpan.FromSeconds(60))).ToList();
        await bus.StartAsync();
        try
        {
            var queues = broker is null ? [] : await broker.QueuesAsync(suite.EndpointPrefix);
            await using var depths = await QueueDepthSampler.StartAsync(suite.RabbitMq, [.. queues.Where(q => !q.EndsWith("_error", StringComparison.Ordinal) && !q.EndsWith("_skipped", StringComparison.Ordinal))]);
            using var jobs = suite.CreateClient(SuiteService.JobTracker, TimeSpan.FromSeconds(60));
            var run = new Run(suite, bus, http, jobs, observer, broker, depths, settings, Guid.NewGuid().ToString("N")[..6]);

            var targets = names.Select((name, i) => (name, virtualAccounts[i % virtualAccounts.Count])).ToList();
            var warmup = new LoadPhase("warmup", targets.Take(settings.Warmup), run.Id);
            var saturation = new LoadPhase("saturation", targets.Skip(settings.Warmup).Take(settings.Jobs), run.Id);
            var paced = new LoadPhase("paced", targets.Skip(settings.Warmup + settings.Jobs).Take(settings.Jobs), run.Id);

            // Replicas 2..N as "Chpa#2": their CPU counts as the service's, their memory is shown each on its own.
            var sessions = suite.ProcessIds.ToDictionary(pair => pair.Key.ToString(), pair => pair.Value);
            foreach (var (service, replica, processId) in suite.ReplicaProcessIds)
            {
                sessions[$"{service}{ProcessCpu.ReplicaSeparator}{replica + 1}"] = processId;
            }

            if (settings.Warmup > 0)
            {
                Console.WriteLine($"warm-up: {settings.Warmup} jobs...");
                await run.SaturateAsync(warmup, Math.Min(settings.InFlight, 32));
                Run.ThrowIfAnyFailed(warmup);
                await run.WaitForJobTrackerAsync(warmup);
            }

            // Idle: what the suite does with no job (schedulers' and sweepers' polls), subtracted from each phase's counts.
            Console.WriteLine($"idle: letting statistics settle ({PostgresStats.StatisticsLag.TotalSeconds:F0} s), then measuring the idle suite for {PostgresStats.StatisticsLag.TotalSeconds:F0} s...");
            await Task.Delay(PostgresStats.StatisticsLag);
            var idleStart = await run.CountersAsync();
            var idleCpuStart = ProcessCpu.Take(sessions); // after rabbitmqctl (an Erlang VM of its own) has run
            await Task.Delay(PostgresStats.StatisticsLag);
            var idleCpu = ProcessCpu.Take(sessions).Since(idleCpuStart);
            var idleEnd = await run.CountersAsync();
            var idle = idleEnd.Since(idleStart);

            Console.WriteLine($"saturation: {settings.Jobs} jobs, at most {settings.InFlight} in flight, submitted by {(settings.Http ? "HTTP POST" : "publishing ClusterAssignmentRequest")}...");
            if (settings.Jobs < 4 * settings.InFlight)
            {
                Console.WriteLine($"  note: N is not much more than the {settings.InFlight} in flight, so ramp-up and drain weigh on the rate; the 10%-90% rate is the better figure (or raise N)");
            }

            var saturationResult = await run.MeasureAsync(saturation, idleEnd, sessions, () => run.SaturateAsync(saturation, settings.InFlight));
            List<PhaseResult> results = [saturationResult];
            if (!settings.SaturationOnly)
            {
                var rate = settings.Rate ?? Math.Max(1, saturationResult.JobsPerSecond / 2);
                Console.WriteLine($"paced: {settings.Jobs} jobs at {rate:F1} jobs/s (open loop){(settings.Rate is null ? ", half the saturation rate" : "")}...");
                results.Add(await run.MeasureAsync(paced, saturationResult.CountersAfter, sessions, () => run.PaceAsync(paced, rate)));
            }

            var recorded = await run.FetchJobTrackerJobsAsync();
            var report = new ClusterAssignReport(settings, machine, suite, broker is not null, idle, idleCpu, results, recorded, observer, PeakMemory.Of(sessions));
            report.Print();
            return report.AllSucceeded ? 0 : 1;
        }
        finally
        {
            await bus.StopAsync();
            http.ForEach(client => client.Dispose());
        }
    }

    /// <summary>The benchmark's connections to the suite, and how it submits, paces and waits.</summary>
    private sealed class Run(
        HcsSuite suite, IBusControl bus, IReadOnlyList<HttpClient> clusterAssign, HttpClient jobTracker, LoadObserver observer, BrokerStats? broker,
        QueueDepthSampler depths, ClusterAssignSettings settings, string id)
    {
        private long _published;
        private int _submitted;
        private long _jobTrackerSucceeded = 1; // the smart account's sync job

        public string Id => id;

        public async Task<Counters> CountersAsync()
        {
            var databases = Enum.GetValues<SuiteService>()
                .Where(s => suite.DatabaseOf(s) is not null)
                .ToDictionary(s => s.ToString(), s => new Npgsql.NpgsqlConnectionStringBuilder(suite.DatabaseOf(s)).Database!);
            var postgres = await PostgresStats.TakeAsync(suite.Servers.Postgres.AdminConnectionString, databases);
            var brokerCounters = broker is null ? null : await broker.CountersAsync();
            return new Counters(Stopwatch.GetTimestamp(), postgres, brokerCounters, Interlocked.Read(ref _published), observer.Received);
        }

        /// <summary>Runs a phase and measures it: CPU and queue depths over its jobs' window; messages and commits once all settled.</summary>
        public async Task<PhaseResult> MeasureAsync(LoadPhase phase, Counters before, IReadOnlyDictionary<string, int> sessions, Func<Task> submit)
        {
            var load = ReadLoadAverage();
            var cpuBefore = ProcessCpu.Take(sessions);
            depths.Begin();
            await submit();
            var cpuAfter = ProcessCpu.Take(sessions);
            var queueDepths = await depths.EndAsync();
            var jobTrackerCaughtUp = await WaitForJobTrackerAsync(phase);
            var loadAfter = ReadLoadAverage();
            await Task.Delay(PostgresStats.StatisticsLag);
            var after = await CountersAsync();
            var result = new PhaseResult(phase, before, after, cpuAfter.Since(cpuBefore), queueDepths, jobTrackerCaughtUp, load, loadAfter);
            Console.WriteLine($"  {phase.Name}: {result.Succeeded}/{phase.Jobs.Count} succeeded in {result.Makespan.TotalSeconds:F2} s: {result.JobsPerSecond:F1} jobs/s; " +
                $"latency p50 {result.Latency(j => j.Ended).P50:F0} ms, p99 {result.Latency(j => j.Ended).P99:F0} ms" +
                (result.Succeeded < phase.Jobs.Count ? $"; {phase.Jobs.Count - result.Succeeded} FAILED (reasons at the end)" : ""));
            return result;
        }

        /// <summary>Submits the phase's jobs as fast as the bound allows: a new one whenever one ends.</summary>
        public Task SaturateAsync(LoadPhase phase, int inFlight) => RunPhaseAsync(phase, async cancellationToken =>
        {
            phase.Gate = new SemaphoreSlim(inFlight);
            foreach (var job in phase.Jobs)
            {
                await phase.Gate.WaitAsync(cancellationToken);
                job.Sent = job.ActualSent = Stopwatch.GetTimestamp();
                _ = SubmitAsync(job);
            }
        });

        /// <summary>Submits the phase's jobs at a fixed rate, whatever their answers: job i is due at start + i/rate.</summary>
        public Task PaceAsync(LoadPhase phase, double rate) => RunPhaseAsync(phase, async cancellationToken =>
        {
            var interval = Stopwatch.Frequency / rate;
            var start = Stopwatch.GetTimestamp();
            var millisecond = Stopwatch.Frequency / 1000;
            foreach (var job in phase.Jobs)
            {
                var due = start + (long)(job.Index * interval);
                var wait = due - Stopwatch.GetTimestamp();
                if (wait > millisecond)
                {
                    await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency), cancellationToken);
                }

                job.Sent = due;
                job.ActualSent = Stopwatch.GetTimestamp();
                _ = SubmitAsync(job);
            }
        });

        /// <summary>Waits until JobTracker shows every succeeded job of the phase as Succeeded; returns when, from the phase's first send.</summary>
        public async Task<TimeSpan?> WaitForJobTrackerAsync(LoadPhase phase)
        {
            var expected = phase.Jobs.Count(j => j.Succeeded);
            var succeededBefore = _jobTrackerSucceeded;
            var deadline = Stopwatch.GetTimestamp() + (long)(settings.StallTimeout.TotalSeconds * Stopwatch.Frequency);
            var first = phase.Jobs.Min(j => j.Sent);
            while (Stopwatch.GetTimestamp() < deadline)
            {
                var page = await jobTracker.GetFromJsonAsync<JobPage>(new Uri("jobs?status=Succeeded&pageSize=1", UriKind.Relative), Json);
                if (page!.TotalCount - succeededBefore >= expected)
                {
                    _jobTrackerSucceeded = page.TotalCount;
                    return Stopwatch.GetElapsedTime(first);
                }

                await Task.Delay(50);
            }

            await Console.Error.WriteLineAsync($"JobTracker did not show all {expected} succeeded jobs of {phase.Name} as Succeeded within {settings.StallTimeout}");
            return null;
        }

        public static void ThrowIfAnyFailed(LoadPhase phase)
        {
            var failed = phase.Jobs.Where(j => !j.Succeeded).ToList();
            if (failed.Count == 0)
            {
                return;
            }

            var reasons = failed.GroupBy(j => j.Failure ?? "did not end").OrderByDescending(g => g.Count())
                .Select(g => $"  {g.Count()} x {g.Key} (e.g. {g.First().ClusterName}, job {g.First().JobId?.ToString() ?? "?"})");
            throw new InvalidOperationException($"{failed.Count} of {phase.Jobs.Count} {phase.Name} jobs did not succeed:\n{string.Join("\n", reasons)}");
        }

        /// <summary>Every job JobTracker knows, by id (pages of 100, read once the runs are over).</summary>
        public async Task<IReadOnlyDictionary<Guid, RecordedJob>> FetchJobTrackerJobsAsync()
        {
            var all = new Dictionary<Guid, RecordedJob>();
            for (var page = 1; ; page++)
            {
                var answer = await jobTracker.GetFromJsonAsync<RecordedPage>(new Uri($"jobs?page={page}&pageSize=100", UriKind.Relative), Json);
                foreach (var job in answer!.Items)
                {
                    all[job.JobId] = job;
                }

                if (answer.Items.Count == 0 || all.Count >= answer.TotalCount)
                {
                    return all;
                }
            }
        }

        private async Task RunPhaseAsync(LoadPhase phase, Func<CancellationToken, Task> submitAll)
        {
            observer.Track(phase);
            using var stalled = new CancellationTokenSource();
            var watchdog = WatchAsync(phase, stalled);
            try
            {
                await submitAll(stalled.Token);
            }
            catch (OperationCanceledException) when (stalled.IsCancellationRequested)
            {
                // The watchdog says why.
            }

            if (!await watchdog)
            {
                throw new TimeoutException(await DescribeStallAsync(phase));
            }
        }

        /// <summary>True once every job of the phase has ended; false (and cancels the submissions) when none ended for the stall timeout.</summary>
        private async Task<bool> WatchAsync(LoadPhase phase, CancellationTokenSource stalled)
        {
            var ended = -1;
            var progressAt = Stopwatch.GetTimestamp();
            while (true)
            {
                await Task.WhenAny(phase.AllEnded, Task.Delay(500));
                if (phase.AllEnded.IsCompleted)
                {
                    return true;
                }

                if (phase.EndedCount != ended)
                {
                    ended = phase.EndedCount;
                    progressAt = Stopwatch.GetTimestamp();
                }
                else if (Stopwatch.GetElapsedTime(progressAt) > settings.StallTimeout)
                {
                    await stalled.CancelAsync();
                    return false;
                }
            }
        }

        private async Task SubmitAsync(LoadJob job)
        {
            try
            {
                if (settings.Http)
                {
                    var replica = clusterAssign[(int)((uint)Interlocked.Increment(ref _submitted) % (uint)clusterAssign.Count)];
                    using var response = await replica.PostAsJsonAsync(
                        new Uri($"clusters/{Uri.EscapeDataString(job.ClusterName)}/assignment", UriKind.Relative),
                        new { smartAccountDomain = HcsSuite.SmartAccountDomain, virtualAccount = job.VirtualAccount, requestId = job.RequestId, requestedBy = "benchmark" },
                        Json);
                    job.Answered = Stopwatch.GetTimestamp();
                    if (response.StatusCode != HttpStatusCode.Accepted)
                    {
                        job.End(job.Answered, succeeded: false, await DescribeRefusalAsync(response));
                    }
                }
                else
                {
                    await bus.Publish(new ClusterAssignmentRequest
                    {
                        RequestId = job.RequestId,
                        ClusterName = job.ClusterName,
                        SmartAccountDomain = HcsSuite.SmartAccountDomain,
                        VirtualAccountName = job.VirtualAccount,
                        RequestedBy = "benchmark",
                    });
                    Interlocked.Increment(ref _published);
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or MassTransitException or RabbitMQ.Client.Exceptions.RabbitMQClientException)
            {
                job.End(Stopwatch.GetTimestamp(), succeeded: false, $"could not submit: {e.GetType().Name}: {e.Message}");
            }
        }

        /// <summary>A refusal in words that are the same for the same cause (the problem's title, reason and detail; no ids), so that they group.</summary>
        private static async Task<string> DescribeRefusalAsync(HttpResponseMessage response)
        {
            var body = await response.Content.ReadAsStringAsync();
            try
            {
                using var problem = JsonDocument.Parse(body);
                string? Field(string name) => problem.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
                return $"HTTP {(int)response.StatusCode} {Field("title")}: {Field("reason")}: {Field("detail")}";
            }
            catch (JsonException)
            {
                return $"HTTP {(int)response.StatusCode}: {(body.Length <= 300 ? body : body[..300])}";
            }
        }

        private async Task<string> DescribeStallAsync(LoadPhase phase)
        {
            var text = new StringBuilder();
            var pending = phase.Jobs.Where(j => !j.HasEnded).ToList();
            text.AppendLine(CultureInfo.InvariantCulture, $"{phase.Name}: no job ended for {settings.StallTimeout.TotalSeconds:F0} s; {pending.Count} of {phase.Jobs.Count} still running. The first of them, as JobTracker shows them:");
            foreach (var job in pending.Take(8))
            {
                string state;
                try
                {
                    var page = await jobTracker.GetFromJsonAsync<RecordedPage>(new Uri($"jobs?entityName={Uri.EscapeDataString(job.ClusterName)}&pageSize=1", UriKind.Relative), Json);
                    state = page!.Items.FirstOrDefault() is { } recorded
                        ? $"{recorded.Status}: {string.Join(", ", recorded.ProgressInfo.Select(s => $"{s.Step} - {s.Status}"))} {recorded.ErrorDescription}"
                        : "unknown to JobTracker";
                }
                catch (HttpRequestException e)
                {
                    state = $"JobTracker did not answer: {e.Message}";
                }

                text.AppendLine(CultureInfo.InvariantCulture, $"  {job.ClusterName} (request {job.RequestId}, {(job.Answered == 0 ? "no answer yet" : "answered")}): {state}");
            }

            foreach (var service in new[] { SuiteService.ClusterAssign, SuiteService.Chpa, SuiteService.JobTracker, SuiteService.SmartAccountSync })
            {
                var output = suite.OutputOf(service);
                text.AppendLine(CultureInfo.InvariantCulture, $"--- {service} output (tail) ---").AppendLine(output.Length <= 3000 ? output : output[^3000..]);
            }

            return text.ToString();
        }

        private static string ReadLoadAverage()
        {
            try
            {
                return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
            }
            catch (IOException)
            {
                return "n/a";
            }
        }
    }

    private sealed record JobPage(int TotalCount);

    private sealed record RecordedPage(List<RecordedJob> Items, int TotalCount);
}

/// <summary>JobTracker's record of a job (GET /jobs), the fields the report reads.</summary>
internal sealed record RecordedJob(
    Guid JobId,
    string EntityName,
    string Status,
    IReadOnlyList<RecordedStep> ProgressInfo,
    string? ErrorDescription,
    string? FailedStep,
    DateTimeOffset InitiatedAt,
    DateTimeOffset? CompletedAt,
    DateTimeOffset LastUpdatedAt);

internal sealed record RecordedStep(string Step, string Status);

/// <summary>The raw rates <see cref="MachineLimits"/> measured in this run.</summary>
internal sealed record MachineRates(double MessagesPerSecond, double CommitsPerSecond);

/// <summary>Counts at one moment: PostgreSQL, the broker (null without a local node), the benchmark's own messages.</summary>
internal sealed record Counters(long Timestamp, PostgresStats Postgres, IReadOnlyDictionary<string, long>? Broker, long BenchmarkPublished, long BenchmarkReceived)
{
    /// <summary>What changed since <paramref name="before"/>.</summary>
    public CounterDelta Since(Counters before) => new(
        Stopwatch.GetElapsedTime(before.Timestamp, Timestamp),
        Postgres.Since(before.Postgres),
        Broker is null || before.Broker is null ? null : Broker.ToDictionary(pair => pair.Key, pair => pair.Value - before.Broker.GetValueOrDefault(pair.Key)),
        BenchmarkPublished - before.BenchmarkPublished,
        BenchmarkReceived - before.BenchmarkReceived);
}

/// <summary>What changed between two <see cref="Counters"/>.</summary>
internal sealed record CounterDelta(TimeSpan Elapsed, PostgresDelta Postgres, IReadOnlyDictionary<string, long>? Broker, long BenchmarkPublished, long BenchmarkReceived)
{
    public long BrokerCounter(string name) => Broker?.GetValueOrDefault(name) ?? 0;
}

/// <summary>One measured phase.</summary>
internal sealed record PhaseResult(
    LoadPhase Phase,
    Counters Before,
    Counters CountersAfter,
    CpuUse Cpu,
    IReadOnlyDictionary<string, (long Max, double Mean)> QueueDepths,
    TimeSpan? JobTrackerCaughtUp,
    string LoadAverageBefore,
    string LoadAverageAfter)
{
    public IReadOnlyList<LoadJob> Jobs => Phase.Jobs;

    /// <summary>Messages, commits and CPU from the phase's start until its figures settled (idle time included: see the report).</summary>
    public CounterDelta Delta => CountersAfter.Since(Before);

    public int Succeeded => Jobs.Count(j => j.Succeeded);

    public long FirstSent => Jobs.Min(j => j.Sent);

    public long LastEnded => Jobs.Max(j => j.Ended);

    /// <summary>First send to last end.</summary>
    public TimeSpan Makespan => Stopwatch.GetElapsedTime(FirstSent, LastEnded);

    public double JobsPerSecond => Jobs.Count / Makespan.TotalSeconds;

    /// <summary>Jobs/s between the 10th and the 90th percentile of end times: the rate without ramp-up and drain.</summary>
    public double SteadyJobsPerSecond
    {
        get
        {
            var ends = Jobs.Select(j => j.Ended).Order().ToArray();
            var (low, high) = (ends.Length / 10, (ends.Length * 9 / 10) - 1);
            return high <= low ? JobsPerSecond : (high - low) / ((double)(ends[high] - ends[low]) / Stopwatch.Frequency);
        }
    }

    /// <summary>Milliseconds from each succeeded job's send to <paramref name="at"/> (where it is known).</summary>
    public Percentiles Latency(Func<LoadJob, long> at) =>
        Percentiles.Of(Jobs.Where(j => j.Succeeded && at(j) != 0).Select(j => (at(j) - j.Sent) * 1000.0 / Stopwatch.Frequency));
}

/// <summary>Nearest-rank percentiles of a sample, in its unit.</summary>
internal sealed record Percentiles(int Count, double P50, double P95, double P99, double Max, double Mean)
{
    public static Percentiles Of(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return new Percentiles(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        }

        double At(double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
        return new Percentiles(sorted.Length, At(0.50), At(0.95), At(0.99), sorted[^1], sorted.Average());
    }
}
