using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using HcsLicensing.Contracts.ClusterAssignments;
using HcsLicensing.TestBed;
using HcsLicensing.TestBed.Suite;
using MassTransit;

namespace HcsLicensing.Benchmarks;

/// <summary>
/// The license audit of a large estate (issue 14: 3,000 clusters, the UC simulator's realistic latency, concurrency 50,
/// under 5 minutes, assignments slowed by at most 20 %), through the whole suite (HcsSuite, as clusterassign runs it).
/// <list type="number">
/// <item>Set-up (not timed): N clusters in CHPA's inventory, assigned over 10 VAs with simulators that answer at once.</item>
/// <item>The simulators' latencies set to realistic ones (UC publisher, CSSM swapi) through their admin knobs.</item>
/// <item>Audit alone: POST /audits to its end (GET /audits/{id}); wall time, CPU seconds of every process.</item>
/// <item>Audit with assignments: another audit, and meanwhile assignments of fresh clusters at a fixed rate (open
/// loop) until the audit ends.</item>
/// <item>Assignments alone: as many, at the same rate, on other fresh clusters: the latency they are compared with.</item>
/// </list>
/// </summary>
internal static class LicenseAuditLoad
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<int> RunAsync(TestServers servers, LicenseAuditSettings settings)
    {
        var clustersNeeded = settings.Clusters + (2 * settings.Pool);
        var options = SuiteOptions.Fast with
        {
            Servers = servers,
            // TakeClusterNames skips every fifth (those start registered).
            Clusters = (clustersNeeded * 5 / 4) + 10,
            VirtualAccounts = 50,
            LogLevel = "Warning",
            Environment = new Dictionary<SuiteService, IReadOnlyDictionary<string, string>>
            {
                [SuiteService.ClusterAssign] = new Dictionary<string, string>
                {
                    ["LicenseAudit__VerifyConcurrency"] = settings.VerifyConcurrency.ToString(CultureInfo.InvariantCulture),
                    // Only the audits the benchmark starts.
                    ["LicenseAudit__Period"] = "00:00:00",
                },
            },
        };

        Console.WriteLine($"licenseaudit: starting the suite (Release builds of the six processes; {options.Clusters} UC clusters)...");
        var suite = await HcsSuite.StartAsync(options);
        try
        {
            return await RunOnSuiteAsync(suite, servers, settings, clustersNeeded);
        }
        finally
        {
            await suite.DisposeAsync();
            HcsSuite.DeleteBuildSnapshots();
        }
    }

    private static async Task<int> RunOnSuiteAsync(HcsSuite suite, TestServers servers, LicenseAuditSettings settings, int clustersNeeded)
    {
        var clock = Stopwatch.StartNew();
        var account = await suite.ConfigureSmartAccountAsync();
        var virtualAccounts = account.VirtualAccounts.Take(10).ToList();
        var names = suite.TakeClusterNames(clustersNeeded);
        await suite.AddClustersToInventoryAsync(names, maxParallel: 8);
        Console.WriteLine($"setup: {names.Count} clusters added to CHPA's inventory in {clock.Elapsed.TotalSeconds:F1} s (not timed)");

        var observer = new LoadObserver();
        var bus = ObserverBus.Create(servers.RabbitMq, $"{suite.EndpointPrefix}audit-benchmark-observer", observer);
        await bus.StartAsync();
        try
        {
            using var clusterAssign = suite.CreateClient(SuiteService.ClusterAssign, TimeSpan.FromSeconds(60));
            var runId = Guid.NewGuid().ToString("N")[..6];
            var targets = names.Select((name, i) => (name, virtualAccounts[i % virtualAccounts.Count])).ToList();
            var estate = new LoadPhase("estate", targets.Take(settings.Clusters), runId);
            var during = targets.Skip(settings.Clusters).Take(settings.Pool).ToList();
            var alone = targets.Skip(settings.Clusters + settings.Pool).ToList();

            clock.Restart();
            Console.WriteLine($"estate: assigning {settings.Clusters} clusters over {virtualAccounts.Count} VAs (simulators without latency; not timed)...");
            await SubmitAsync(bus, observer, estate, settings, inFlight: 128, rate: null);
            var failed = estate.Jobs.Count(j => !j.Succeeded);
            Console.WriteLine($"  {estate.Jobs.Count - failed}/{estate.Jobs.Count} assigned in {clock.Elapsed.TotalSeconds:F1} s{(failed > 0 ? $"; {failed} FAILED, e.g. {estate.Jobs.First(j => !j.Succeeded).Failure}" : "")}");

            await SetLatenciesAsync(suite, settings);
            Console.WriteLine($"latency: UC publishers {settings.UcLatencyMs} ms, CSSM swapi {settings.CssmLatencyMs} ms from now on");

            var sessions = suite.ProcessIds.ToDictionary(pair => pair.Key.ToString(), pair => pair.Value);
            Console.WriteLine($"audit alone: POST /audits, LicenseAudit:VerifyConcurrency={settings.VerifyConcurrency}...");
            var first = await AuditAsync(suite, clusterAssign, sessions, settings, whileRunning: null);
            first.Print();

            Console.WriteLine($"audit with assignments: POST /audits, and assignments at {settings.Rate:F1}/s until it ends (at most {during.Count})...");
            var withAudit = new LoadPhase("with-audit", during, runId);
            var second = await AuditAsync(suite, clusterAssign, sessions, settings,
                whileRunning: auditEnded => SubmitAsync(bus, observer, withAudit, settings, inFlight: null, rate: settings.Rate, stopSubmitting: auditEnded));
            second.Print();

            var submitted = withAudit.Jobs.Count(j => j.ActualSent != 0);
            var baseline = new LoadPhase("alone", alone.Take(submitted), runId);
            Console.WriteLine($"assignments alone: {baseline.Jobs.Count} at {settings.Rate:F1}/s...");
            await SubmitAsync(bus, observer, baseline, settings, inFlight: null, rate: settings.Rate);

            var a = Describe(withAudit, second.EndedAt);
            var b = Describe(baseline, null);
            Console.WriteLine();
            Console.WriteLine("assignments (send to ClusterOperationCompleted), same rate, same UC/CSSM latency:");
            Console.WriteLine($"  alone:        {b.Line}");
            Console.WriteLine($"  during audit: {a.Line}");
            var slowdownP50 = (a.Latency.P50 / b.Latency.P50) - 1;
            var slowdownP95 = (a.Latency.P95 / b.Latency.P95) - 1;
            var slowdownMean = (a.Latency.Mean / b.Latency.Mean) - 1;
            Console.WriteLine($"  slowdown: p50 {slowdownP50:+0%;-0%}, p95 {slowdownP95:+0%;-0%}, mean {slowdownMean:+0%;-0%} (target: at most +20 %)");
            Console.WriteLine($"audit alone: {first.Wall.TotalSeconds:F1} s for {first.Clusters} clusters (target: under 300 s) at concurrency {settings.VerifyConcurrency}; " +
                $"{first.Cpu.Ours * first.Cpu.WallSeconds:F1} CPU s of the suite, {first.Cpu.Rest * first.Cpu.WallSeconds:F1} CPU s of the rest of the machine meanwhile");
            var allGood = first.Succeeded && second.Succeeded && withAudit.Jobs.All(j => j.Succeeded || j.ActualSent == 0) && baseline.Jobs.All(j => j.Succeeded);
            return allGood ? 0 : 1;
        }
        finally
        {
            await bus.StopAsync();
        }
    }

    /// <summary>Runs one audit to its end, and <paramref name="whileRunning"/> meanwhile (given a token cancelled when the audit ends).</summary>
    private static async Task<AuditResult> AuditAsync(
        HcsSuite suite, HttpClient clusterAssign, IReadOnlyDictionary<string, int> sessions, LicenseAuditSettings settings,
        Func<CancellationToken, Task>? whileRunning)
    {
        var load = File.ReadAllText("/proc/loadavg").Trim();
        var cpuBefore = ProcessCpu.Take(sessions);
        var started = Stopwatch.GetTimestamp();
        using var posted = await clusterAssign.PostAsync(new Uri("audits", UriKind.Relative), JsonContent.Create(new { }));
        var accepted = await posted.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonObject>(Json);
        var auditId = (string)accepted!["auditId"]!;
        var jobId = Guid.Parse((string)accepted["jobId"]!);
        using var ended = new CancellationTokenSource();
        var side = whileRunning?.Invoke(ended.Token);

        JsonObject run;
        var deadline = Stopwatch.GetTimestamp() + (long)(settings.StallTimeout.TotalSeconds * 10 * Stopwatch.Frequency);
        while (true)
        {
            run = (await clusterAssign.GetFromJsonAsync<JsonObject>(new Uri($"audits/{auditId}", UriKind.Relative), Json))!;
            if ((string?)run["status"] != "Running")
            {
                break;
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"license audit {auditId} still running after {settings.StallTimeout * 10}");
            }

            await Task.Delay(250);
        }

        var endedAt = Stopwatch.GetTimestamp();
        var cpu = ProcessCpu.Take(sessions).Since(cpuBefore);
        await ended.CancelAsync();
        if (side is not null)
        {
            await side;
        }

        var job = await suite.WaitForJobAsync(jobId, TimeSpan.FromSeconds(60));
        return new AuditResult(Stopwatch.GetElapsedTime(started, endedAt), endedAt, run, job, cpu, load);
    }

    /// <summary>Submits a phase's assignments, either K in flight at most or at a fixed rate, and waits for their ends.</summary>
    /// <summary>
    /// Submits a phase's assignments, either K in flight at most or at a fixed rate, until <paramref name="stopSubmitting"/>;
    /// the rest are ended as not submitted (and left out of the figures). Waits for the submitted ones' ends.
    /// </summary>
    private static async Task SubmitAsync(IBus bus, LoadObserver observer, LoadPhase phase, LicenseAuditSettings settings, int? inFlight, double? rate, CancellationToken stopSubmitting = default)
    {
        observer.Track(phase);
        if (inFlight is { } bound)
        {
            phase.Gate = new SemaphoreSlim(bound);
        }

        var start = Stopwatch.GetTimestamp();
        foreach (var job in phase.Jobs)
        {
            if (stopSubmitting.IsCancellationRequested)
            {
                job.End(Stopwatch.GetTimestamp(), succeeded: false, "not submitted: the audit had ended");
                continue;
            }

            if (phase.Gate is not null)
            {
                await phase.Gate.WaitAsync(CancellationToken.None);
                job.Sent = Stopwatch.GetTimestamp();
            }
            else
            {
                job.Sent = start + (long)(job.Index * Stopwatch.Frequency / rate!.Value);
                var wait = job.Sent - Stopwatch.GetTimestamp();
                if (wait > 0)
                {
                    await Task.WhenAny(Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency), stopSubmitting));
                    if (stopSubmitting.IsCancellationRequested)
                    {
                        job.End(Stopwatch.GetTimestamp(), succeeded: false, "not submitted: the audit had ended");
                        continue;
                    }
                }
            }

            job.ActualSent = Stopwatch.GetTimestamp();
            await bus.Publish(new ClusterAssignmentRequest
            {
                RequestId = job.RequestId,
                ClusterName = job.ClusterName,
                SmartAccountDomain = HcsSuite.SmartAccountDomain,
                VirtualAccountName = job.VirtualAccount,
                RequestedBy = "licenseaudit benchmark",
            }, CancellationToken.None);
        }

        await WaitForEndsAsync(phase, settings.StallTimeout);
    }

    private static async Task WaitForEndsAsync(LoadPhase phase, TimeSpan stall)
    {
        var ended = -1;
        var progressAt = Stopwatch.GetTimestamp();
        while (!phase.AllEnded.IsCompleted)
        {
            await Task.WhenAny(phase.AllEnded, Task.Delay(500));
            if (phase.EndedCount != ended)
            {
                (ended, progressAt) = (phase.EndedCount, Stopwatch.GetTimestamp());
            }
            else if (Stopwatch.GetElapsedTime(progressAt) > stall)
            {
                throw new TimeoutException($"{phase.Name}: no assignment ended for {stall.TotalSeconds:F0} s; {phase.Jobs.Count - ended} of {phase.Jobs.Count} still running");
            }
        }
    }

    private static async Task SetLatenciesAsync(HcsSuite suite, LicenseAuditSettings settings)
    {
        // Both admin PUTs replace the whole set of knobs: read, change one, write back.
        using var uc = suite.CreateClient(SuiteService.UcSimulator);
        var knobs = (await uc.GetFromJsonAsync<JsonObject>(new Uri("admin/knobs", UriKind.Relative), Json))!;
        knobs["latencyMs"] = settings.UcLatencyMs;
        (await uc.PutAsJsonAsync(new Uri("admin/knobs", UriKind.Relative), knobs, Json)).EnsureSuccessStatusCode().Dispose();

        using var cssm = suite.CreateClient(SuiteService.CssmSimulator);
        var faults = (await cssm.GetFromJsonAsync<JsonObject>(new Uri("sim/control/faults", UriKind.Relative), Json))!;
        faults["latencyMs"] = settings.CssmLatencyMs;
        (await cssm.PutAsJsonAsync(new Uri("sim/control/faults", UriKind.Relative), faults, Json)).EnsureSuccessStatusCode().Dispose();
    }

    /// <summary>Latency (send to ClusterOperationCompleted) and rate of a phase's assignments; how many ended before <paramref name="auditEndedAt"/>.</summary>
    private static (Percentiles Latency, string Line) Describe(LoadPhase phase, long? auditEndedAt)
    {
        var jobs = phase.Jobs.Where(j => j.ActualSent != 0).ToList();
        var latency = Percentiles.Of(jobs.Where(j => j.Succeeded).Select(j => (j.Ended - j.Sent) * 1000.0 / Stopwatch.Frequency));
        var span = Stopwatch.GetElapsedTime(jobs.Min(j => j.Sent), jobs.Max(j => j.Ended)).TotalSeconds;
        var overlap = auditEndedAt is { } end ? $", {jobs.Count(j => j.Ended <= end)} ended before the audit did" : "";
        var failed = jobs.Count(j => !j.Succeeded);
        var line = $"{jobs.Count - failed}/{jobs.Count} succeeded, {jobs.Count / span:F2} jobs/s over {span:F1} s; " +
            $"latency p50 {latency.P50:F0} ms, p95 {latency.P95:F0} ms, p99 {latency.P99:F0} ms, max {latency.Max:F0} ms, mean {latency.Mean:F0} ms{overlap}" +
            (failed > 0 ? $"; FAILED e.g. {jobs.First(j => !j.Succeeded).Failure}" : "");
        return (latency, line);
    }

    private sealed record AuditResult(TimeSpan Wall, long EndedAt, JsonObject Run, SuiteJob Job, CpuUse Cpu, string LoadBefore)
    {
        public bool Succeeded => (string?)Run["status"] == "Succeeded" && Job.Status == "Succeeded";

        public int Clusters => (int?)Run["clusters"] ?? 0;

        public void Print()
        {
            Console.WriteLine($"  audit {Run["status"]} in {Wall.TotalSeconds:F1} s (POST to GET showing its end): {Clusters} clusters, " +
                $"{Run["openFindings"]} open findings ({Run["newFindings"]} new, {Run["closedFindings"]} closed){(Run["error"] is { } error ? $"; error: {error}" : "")}; load average before {LoadBefore}");
            foreach (var step in Job.ProgressInfo)
            {
                Console.WriteLine($"    {step.Step}: {step.Status} ({step.Detail})");
            }

            Console.WriteLine($"  CPU seconds over the audit's {Cpu.WallSeconds:F1} s wall (machine: {Cpu.MachineCores:F0} cores, {Cpu.MachineBusyCores * Cpu.WallSeconds:F1} CPU s busy in all):");
            foreach (var (part, cores) in Cpu.Cores.OrderByDescending(pair => pair.Value))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {part,-28} {cores * Cpu.WallSeconds,8:F1} s ({cores:F2} cores)"));
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {"rest of the machine",-28} {Cpu.Rest * Cpu.WallSeconds,8:F1} s ({Cpu.Rest:F2} cores)"));
        }
    }
}
