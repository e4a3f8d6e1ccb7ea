using System.Globalization;
using System.Text;
using HcsLicensing.Contracts.ClusterAssignments;
using HcsLicensing.TestBed.Suite;

namespace HcsLicensing.Benchmarks;

/// <summary>The clusterassign benchmark's table: one column per phase, idle figures where they matter.</summary>
internal sealed class ClusterAssignReport(
    ClusterAssignSettings settings,
    MachineRates machine,
    HcsSuite suite,
    bool brokerCounted,
    CounterDelta idle,
    CpuUse idleCpu,
    IReadOnlyList<PhaseResult> phases,
    IReadOnlyDictionary<Guid, RecordedJob> recorded,
    LoadObserver observer,
    IReadOnlyDictionary<string, PeakMemory> memory)
{
    private const int Label = 58;
    private const int Column = 28;

    /// <summary>Issue #5's goal: jobs/s sustained, and p99 (ms) at half that rate.</summary>
    private const int Target = 500;
    private const int TargetP99 = 100;

    private static readonly string[] Steps = [ClusterOperationSteps.Verification, ClusterOperationSteps.LicenseModeChange, ClusterOperationSteps.TransportModeChange, ClusterOperationSteps.Registration];

    private static readonly string[] Parts =
    [
        nameof(SuiteService.JobTracker), nameof(SuiteService.ClusterAssign), nameof(SuiteService.Chpa), nameof(SuiteService.SmartAccountSync),
        nameof(SuiteService.CssmSimulator), nameof(SuiteService.UcSimulator), ProcessCpu.RabbitMq, ProcessCpu.Postgres, ProcessCpu.Benchmark, ProcessCpu.OtherChildren,
    ];

    private readonly StringBuilder _text = new();

    public bool AllSucceeded => phases.All(p => p.Succeeded == p.Jobs.Count);

    public void Print()
    {
        var saturation = phases[0];
        var paced = phases.Count > 1 ? phases[1] : null; // none with --saturation-only
        Line();
        Text($"clusterassign: {settings.Jobs} assignments per phase, submitted by {(settings.Http ? "HTTP POST /clusters/{name}/assignment" : "publishing ClusterAssignmentRequest (MassTransit)")}; " +
             "a job ends when its ClusterOperationCompleted reaches the benchmark's bus");
        Text($"suite: Release builds; CSSM and UC simulators answer at once, publisher restart {settings.UcRestartSeconds} s; CHPA polls a registration every {settings.ChpaPollInterval.TotalMilliseconds:F0} ms, " +
             $"its outbox sends each poll when due (fallback poll {(settings.SchedulerPollInterval?.TotalMilliseconds.ToString("F0", CultureInfo.InvariantCulture) ?? "1000 (default)")} ms); " +
             $"{settings.VirtualAccounts} VAs; warm-up {settings.Warmup} jobs; {settings.Replicas} replica(s) of each service, " +
             (settings.RabbitMqNodes > 1 ? $"{settings.RabbitMqNodes} RabbitMQ nodes (quorum queues)" : "1 RabbitMQ node (classic queues)") +
             (settings.Environment.Count == 0 ? "" : $"; environment {string.Join(' ', settings.Environment.Select(e => $"{e.Key}={e.Value}"))}"));
        Text($"machine: {Environment.ProcessorCount} cores; raw RabbitMQ {machine.MessagesPerSecond:F0} persistent+confirmed msg/s, raw PostgreSQL {machine.CommitsPerSecond:F0} commits/s (measured in this run, before the suite started)");
        Line();
        Row("", phases.Select(p => p.Phase.Name));
        Row("load", [$"<= {settings.InFlight} in flight", .. paced is null ? [] : new[] { $"{Rate(paced):F1} jobs/s, open loop" }]);
        Row("jobs succeeded", phases.Select(p => $"{p.Succeeded}/{p.Jobs.Count}"));
        Row("first send -> last ClusterOperationCompleted", phases.Select(p => $"{p.Makespan.TotalSeconds:F2} s"));
        Row("throughput", phases.Select(p => $"{p.JobsPerSecond:F1} jobs/s"));
        Row("  between 10% and 90% of the ends", phases.Select(p => $"{p.SteadyJobsPerSecond:F1} jobs/s"));
        Row("  all shown Succeeded by JobTracker (GET /jobs)", phases.Select(p => p.JobTrackerCaughtUp is { } t ? $"{t.TotalSeconds:F2} s: {p.Jobs.Count / t.TotalSeconds:F1} jobs/s" : "not in time"));
        if (paced is not null)
        {
            Row("paced sends: latest behind schedule", "", $"{paced.Jobs.Max(j => j.ActualSent - j.Sent) * 1000.0 / System.Diagnostics.Stopwatch.Frequency:F1} ms");
        }

        Line();
        Text("latency of the succeeded jobs, ms from the request's send (paced: its due time) to ...    p50 / p95 / p99 / max");
        Row("  ClusterOperationCompleted at the benchmark (job ended)", phases.Select(p => Format(p.Latency(j => j.Ended))));
        Row($"  {(settings.Http ? "HTTP 202" : "ClusterAssignmentResp")} (Verification passed)", phases.Select(p => Format(p.Latency(j => j.Answered))));
        Row("  JobTracker has the job Succeeded (its lastUpdatedAt)", phases.Select(p => Format(Recorded(p, (job, r) => (r.LastUpdatedAt - WallClock.At(job.Sent)).TotalMilliseconds))));
        Text("where a job's time goes, ms p50 / p99 (wall clocks of the processes, same machine):");
        Row("  send -> ClusterAssign starts the job (initiatedAt)", phases.Select(p => Short(Recorded(p, (job, r) => (r.InitiatedAt - WallClock.At(job.Sent)).TotalMilliseconds))));
        Row("  job's steps in ClusterAssign (initiatedAt -> completedAt)", phases.Select(p => Short(Recorded(p, (_, r) => ((r.CompletedAt ?? r.LastUpdatedAt) - r.InitiatedAt).TotalMilliseconds))));
        Row("  completedAt -> ClusterOperationCompleted at the benchmark", phases.Select(p => Short(Recorded(p, (job, r) => (WallClock.At(job.Ended) - (r.CompletedAt ?? r.LastUpdatedAt)).TotalMilliseconds))));
        Row("  completedAt -> JobTracker applied its last event", phases.Select(p => Short(Recorded(p, (_, r) => (r.LastUpdatedAt - (r.CompletedAt ?? r.LastUpdatedAt)).TotalMilliseconds))));
        if (settings.Steps)
        {
            Text("each step, ms p50 / p99 of the jobs where it ran (ClusterAssign's times: step Inprogress -> its outcome; Registration -> job end) [ran/not applicable]:");
            foreach (var step in Steps)
            {
                Row($"  {step}", phases.Select(p => StepTimes(p, step)));
            }
        }

        Line();
        Text($"per job, net of the idle suite's own activity (idle: {PerSecond(idle.Postgres.AllCommits, idle):F1} commits/s, {PerSecond(idle.BrokerCounter("messages_received_total"), idle):F1} msg/s):");
        if (brokerCounted)
        {
            Row("  messages published (services; + the benchmark's own)", phases.Select(p => $"{Services(p, "messages_received_total", p.Delta.BenchmarkPublished):F1} (+{(double)p.Delta.BenchmarkPublished / p.Jobs.Count:F1})"));
            Row("  messages delivered to consumers (services; + benchmark)", phases.Select(p => $"{Services(p, "messages_delivered_total", p.Delta.BenchmarkReceived):F1} (+{(double)p.Delta.BenchmarkReceived / p.Jobs.Count:F1})"));
            Row("  messages redelivered / unroutable (all)", phases.Select(p => $"{Net(p, "messages_redelivered_total"):F2} / {Net(p, "messages_unroutable_dropped_total") + Net(p, "messages_unroutable_returned_total"):F2}"));
        }
        else
        {
            Text(settings.RabbitMqNodes > 1
                ? "  messages: not counted (a RabbitMQ cluster counts per node)"
                : "  messages: not counted (the broker is not a local node of this process: containers or HCS_TEST_RABBITMQ)");
        }

        Row("  PostgreSQL transactions that wrote (took an xid)", phases.Select(p => $"{NetPostgres(p, d => d.WriteTransactions, idle.Postgres.WriteTransactions):F1}"));
        Row("  PostgreSQL commits incl. read-only (xact_commit)", phases.Select(p => $"{NetPostgres(p, d => d.AllCommits, idle.Postgres.AllCommits):F1}"));
        Text("    per service's database: commits incl. read-only / rows inserted, updated or deleted");
        foreach (var database in idle.Postgres.Commits.Keys.Order(StringComparer.Ordinal))
        {
            Row($"      {database}", phases.Select(p =>
                $"{NetPostgres(p, d => d.Commits.GetValueOrDefault(database), idle.Postgres.Commits.GetValueOrDefault(database)):F1} / " +
                $"{NetPostgres(p, d => d.RowsWritten.GetValueOrDefault(database), idle.Postgres.RowsWritten.GetValueOrDefault(database)):F1}"));
        }

        Row("  WAL written / WAL fsyncs", phases.Select(p => $"{NetPostgres(p, d => d.WalBytes, idle.Postgres.WalBytes) / 1024:F1} kB / {NetPostgres(p, d => d.WalSyncs, idle.Postgres.WalSyncs):F1}"));
        if (brokerCounted)
        {
            Row("share of the machine's raw broker rate (all publishes)", phases.Select(p => $"{p.JobsPerSecond * (Services(p, "messages_received_total", 0)) / machine.MessagesPerSecond:P0}"));
        }

        Row("share of the machine's raw commit rate (writing tx)", phases.Select(p => $"{p.JobsPerSecond * NetPostgres(p, d => d.WriteTransactions, idle.Postgres.WriteTransactions) / machine.CommitsPerSecond:P0}"));
        Row($"  the same at the target's {Target} jobs/s: broker / commits", phases.Select(p =>
            (brokerCounted ? $"{Target * Services(p, "messages_received_total", 0) / machine.MessagesPerSecond:P0}" : "?") +
            $" / {Target * NetPostgres(p, d => d.WriteTransactions, idle.Postgres.WriteTransactions) / machine.CommitsPerSecond:P0}"));
        Line();
        Text("CPU: cores busy on average over the window (1.00 = one core; the machine has " + Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture) +
             "), and CPU ms per job (the work a job costs each process, whatever else runs)");
        Row("", ["idle suite", .. phases.Select(p => p.Phase.Name)]);
        foreach (var part in Parts.Where(part => phases.Any(p => p.Cpu.Cores.ContainsKey(part)) || idleCpu.Cores.ContainsKey(part)))
        {
            Row($"  {part}", [$"{idleCpu.Cores.GetValueOrDefault(part):F2}", .. phases.Select(p => Cpu(p, p.Cpu.Cores.GetValueOrDefault(part)))]);
        }

        Row("  all of the above", [$"{idleCpu.Ours:F2}", .. phases.Select(p => Cpu(p, p.Cpu.Ours))]);
        Row("  rest of the machine (others' builds and tests)", [$"{idleCpu.Rest:F2}", .. phases.Select(p => $"{p.Cpu.Rest:F2}")]);
        Row("  machine busy", [$"{idleCpu.MachineBusyCores:F2} of {idleCpu.MachineCores:F1}", .. phases.Select(p => $"{p.Cpu.MachineBusyCores:F2} of {p.Cpu.MachineCores:F1}")]);
        Row("  CPU-bound ceiling: all cores / CPU ms per job", ["", .. phases.Select(p => $"{idleCpu.MachineCores * 1000 / CpuMsPerJob(p, p.Cpu.Ours):F0} jobs/s")]);
        Text("memory: peak resident set (VmHWM) of each suite process over the whole run, MB");
        foreach (var (process, peak) in memory.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            Row($"  {process}", $"{peak.PeakMegabytes:F0} MB (now {peak.CurrentMegabytes:F0} MB: anonymous {peak.AnonymousMegabytes:F0}, files {peak.FileMegabytes:F0}, JIT double mapping {peak.SharedMegabytes:F0})");
        }

        Row("load average (1, 5, 15 min) at the phase's start", phases.Select(p => p.LoadAverageBefore));
        Row("  at its end", phases.Select(p => p.LoadAverageAfter));
        if (phases.Any(p => p.QueueDepths.Count > 0))
        {
            Line();
            Text($"ready messages per queue, max (mean), sampled every {QueueDepthSampler.Interval.TotalMilliseconds:F0} ms:");
            foreach (var queue in phases.SelectMany(p => p.QueueDepths.Keys).Distinct().Order(StringComparer.Ordinal))
            {
                Row($"  {queue[suite.EndpointPrefix.Length..]}", phases.Select(p => p.QueueDepths.TryGetValue(queue, out var d) ? $"{d.Max} ({d.Mean:F1})" : "-"));
            }
        }

        Line();
        var halfRateP99 = paced?.Latency(j => j.Ended).P99;
        Text($"targets: {Target} jobs/s sustained: {(saturation.JobsPerSecond >= Target ? "met" : "NOT met")} ({saturation.JobsPerSecond:F1} jobs/s); " +
             (paced is null ? "no paced phase" : $"p99 < {TargetP99} ms at {Target / 2} jobs/s: {(halfRateP99 < TargetP99 && Rate(paced) >= Target / 2 ? "met" : "NOT met")} (p99 {halfRateP99:F0} ms at {Rate(paced):F1} jobs/s)"));
        if (observer.Unknown > 0)
        {
            Text($"note: {observer.Unknown} messages for requests this run did not send reached the benchmark's queue");
        }

        foreach (var phase in phases.Where(p => p.Succeeded < p.Jobs.Count))
        {
            Text($"FAILED in {phase.Phase.Name}:");
            foreach (var group in phase.Jobs.Where(j => !j.Succeeded).GroupBy(j => j.Failure ?? "did not end").OrderByDescending(g => g.Count()))
            {
                var example = group.First();
                Text($"  {group.Count()} x {group.Key} (e.g. {example.ClusterName}, request {example.RequestId}, job {example.JobId?.ToString() ?? "?"})");
            }
        }

        Line();
        Console.Write(_text.ToString());
    }

    private static double Rate(PhaseResult paced) => (paced.Jobs.Count - 1) / ((double)(paced.Jobs[^1].Sent - paced.Jobs[0].Sent) / System.Diagnostics.Stopwatch.Frequency);

    private static string Format(Percentiles p) => p.Count == 0 ? "n/a" : $"{p.P50:F0} / {p.P95:F0} / {p.P99:F0} / {p.Max:F0}";

    private static string Short(Percentiles p) => p.Count == 0 ? "n/a" : $"{p.P50:F0} / {p.P99:F0}";

    /// <summary>A step's time per job: from its Inprogress to its outcome (Registration, the last: to the job's end), as ClusterAssign stamped them.</summary>
    private string StepTimes(PhaseResult phase, string step)
    {
        var durations = new List<double>();
        var notApplicable = 0;
        foreach (var job in phase.Jobs.Where(j => j.Succeeded && j.JobId is not null))
        {
            var events = observer.StepsOf(job.JobId!.Value).Where(e => e.Step == step).ToList();
            var started = events.FirstOrDefault(e => e.Status == Contracts.Jobs.JobStepStatus.Inprogress);
            var ended = step == Steps[^1] ? job.CompletedAt : events.FirstOrDefault(e => e.Status is Contracts.Jobs.JobStepStatus.Pass or Contracts.Jobs.JobStepStatus.Fail)?.OccurredAt;
            if (started is not null && ended is { } end)
            {
                durations.Add((end - started.OccurredAt).TotalMilliseconds);
            }
            else if (events.Any(e => e.Status == Contracts.Jobs.JobStepStatus.NotApplicable))
            {
                notApplicable++;
            }
        }

        return $"{Short(Percentiles.Of(durations))} [{durations.Count}/{notApplicable}]";
    }

    private static double CpuMsPerJob(PhaseResult phase, double cores) => cores * phase.Cpu.WallSeconds * 1000 / phase.Jobs.Count;

    private static string Cpu(PhaseResult phase, double cores) => $"{cores:F2} = {CpuMsPerJob(phase, cores):F1} ms/job";

    private static double PerSecond(double count, CounterDelta window) => count / window.Elapsed.TotalSeconds;

    private Percentiles Recorded(PhaseResult phase, Func<LoadJob, RecordedJob, double> measure) =>
        Percentiles.Of(phase.Jobs.Where(j => j.Succeeded && j.JobId is { } id && recorded.ContainsKey(id)).Select(j => measure(j, recorded[j.JobId!.Value])));

    /// <summary>A broker counter per job over the phase's window, less the idle rate over that window.</summary>
    private double Net(PhaseResult phase, string counter) =>
        (phase.Delta.BrokerCounter(counter) - (PerSecond(idle.BrokerCounter(counter), idle) * phase.Delta.Elapsed.TotalSeconds)) / phase.Jobs.Count;

    /// <summary>As <see cref="Net"/>, less the benchmark's own messages.</summary>
    private double Services(PhaseResult phase, string counter, long benchmarkOwn) => Net(phase, counter) - ((double)benchmarkOwn / phase.Jobs.Count);

    private double NetPostgres(PhaseResult phase, Func<PostgresDelta, double> measure, double idleCount) =>
        (measure(phase.Delta.Postgres) - (idleCount / idle.Elapsed.TotalSeconds * phase.Delta.Elapsed.TotalSeconds)) / phase.Jobs.Count;

    private void Row(string label, params IEnumerable<string> values)
    {
        // At least two spaces between columns, even when a value is wider than its column.
        var line = new StringBuilder(label.PadRight(Label - 2)).Append("  ");
        foreach (var value in values)
        {
            line.Append(value.PadRight(Column - 2)).Append("  ");
        }

        _text.AppendLine(line.ToString().TrimEnd());
    }

    private void Text(string text) => _text.AppendLine(text);

    private void Line() => _text.AppendLine(new string('-', Label + (3 * Column)));
}
