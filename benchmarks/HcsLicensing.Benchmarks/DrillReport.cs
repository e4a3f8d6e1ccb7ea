using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using HcsLicensing.TestBed.Suite;
using RabbitMQ.Client;

namespace HcsLicensing.Benchmarks;

/// <summary>
/// The drill's verdict: every submitted assignment judged by three witnesses that do not share state: JobTracker's
/// job, ClusterAssign's Cluster Summary (the cluster's last job) and the UC simulator (register calls the publisher
/// accepted, and where the cluster is registered now); plus what sits in the suite's error queues, with the fault
/// headers MassTransit wrote on each message. PASS: 0 lost, 0 stuck, 0 doubled, 0 disagreement, 0 wrong outcome,
/// 0 in _error.
/// </summary>
internal sealed class DrillReport
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly DrillSettings _settings;
    private readonly IReadOnlyList<DrillJob> _jobs;
    private readonly IReadOnlyList<string> _timeline;
    private readonly bool _quiescent;
    private readonly List<Verdict> _verdicts;
    private readonly IReadOnlyDictionary<string, long> _errorQueues;
    private readonly IReadOnlyDictionary<string, List<string>> _faults;

    private DrillReport(
        DrillSettings settings, IReadOnlyList<DrillJob> jobs, IReadOnlyList<string> timeline, bool quiescent,
        List<Verdict> verdicts, IReadOnlyDictionary<string, long> errorQueues, IReadOnlyDictionary<string, List<string>> faults)
    {
        _settings = settings;
        _jobs = jobs;
        _timeline = timeline;
        _quiescent = quiescent;
        _verdicts = verdicts;
        _errorQueues = errorQueues;
        _faults = faults;
    }

    public bool Passed =>
        _quiescent && Count(v => v.Lost) == 0 && Count(v => v.Stuck) == 0 && Count(v => v.Doubled) == 0
        && Count(v => v.Disagreement is not null) == 0 && Count(v => v.WrongOutcome is not null) == 0 && _errorQueues.Values.Sum() == 0
        && _jobs.All(j => j.Accepted);

    public static async Task<DrillReport> GatherAsync(HcsSuite suite, BrokerStats broker, DrillSettings settings, IReadOnlyList<DrillJob> jobs, IReadOnlyList<string> timeline, bool quiescent)
    {
        using var jobTracker = suite.CreateClient(SuiteService.JobTracker, TimeSpan.FromSeconds(60));
        using var clusterAssign = suite.CreateClient(SuiteService.ClusterAssign, TimeSpan.FromSeconds(60));
        using var uc = suite.CreateClient(SuiteService.UcSimulator, TimeSpan.FromSeconds(60));
        var recorded = await JobTrackerJobsAsync(jobTracker);
        var summary = (await ClusterSummaryAsync(clusterAssign)).ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);
        var registrations = (await uc.GetFromJsonAsync<List<UcRegistration>>(new Uri("admin/registrations", UriKind.Relative), Json))!
            .ToDictionary(r => r.Name, StringComparer.OrdinalIgnoreCase);
        var errorQueues = (await broker.QueueMessagesAsync(suite.EndpointPrefix))
            .Where(q => q.Key.EndsWith("_error", StringComparison.Ordinal) && q.Value > 0)
            .ToDictionary(q => q.Key, q => q.Value);
        var faults = await PeekFaultsAsync(suite, errorQueues.Keys);

        var verdicts = jobs.Where(j => j.Accepted)
            .Select(job => Judge(job, summary.GetValueOrDefault(job.ClusterName), recorded, registrations.GetValueOrDefault(job.ClusterName)))
            .ToList();
        return new DrillReport(settings, jobs, timeline, quiescent, verdicts, errorQueues, faults);
    }

    /// <summary>ClusterAssign's Cluster Summary, every page.</summary>
    public static async Task<List<SummaryLine>> ClusterSummaryAsync(HttpClient clusterAssign)
    {
        var all = new List<SummaryLine>();
        for (var page = 1; ; page++)
        {
            var answer = (await clusterAssign.GetFromJsonAsync<SummaryPage>(new Uri($"clusters?page={page}&pageSize=500", UriKind.Relative), Json))!;
            all.AddRange(answer.Items);
            if (answer.Items.Count == 0 || all.Count >= answer.TotalCount)
            {
                return all;
            }
        }
    }

    public void Print()
    {
        var submitted = _jobs.Count(j => j.Accepted);
        var succeeded = Where(v => v.Status == "Succeeded");
        var failed = Where(v => v.Status == "Failed");
        var stuck = Where(v => v.Stuck);
        var lost = Where(v => v.Lost);
        var doubled = Where(v => v.Doubled);
        var disagreements = Where(v => v.Disagreement is not null);
        var wrong = Where(v => v.WrongOutcome is not null);
        var registeredOnce = succeeded.Count(v => v.Registration is { RegistrationsStarted: 1 });

        var table = new StringBuilder();
        table.AppendLine(CultureInfo.InvariantCulture, $"| drill {_settings.Jobs}{(_settings.Short ? " --short" : "")} (seed {_settings.Seed}) | count |");
        table.AppendLine("| --- | --- |");
        Row("submitted and accepted", $"{submitted} of {_jobs.Count} ({_jobs.Count(j => j.Accepted && !j.ByHttp)} published, {_jobs.Count(j => j.Accepted && j.ByHttp)} by HTTP; {_jobs.Sum(j => j.Attempts) - _jobs.Count} retried submissions)");
        foreach (var answer in _jobs.Where(j => j.HttpAnswer is not null and not 202).GroupBy(j => j.HttpAnswer))
        {
            Row("  HTTP answered a problem naming the job", $"{answer.Count()} x {answer.Key}");
        }

        foreach (var refused in _jobs.Where(j => !j.Accepted).GroupBy(j => j.Refusal ?? "?"))
        {
            Row("  never accepted", $"{refused.Count()} x {refused.Key}");
        }

        Row("Succeeded", succeeded.Count.ToString(CultureInfo.InvariantCulture));
        Row("Failed", failed.Count.ToString(CultureInfo.InvariantCulture));
        foreach (var reason in failed.GroupBy(v => v.FailureReason).OrderByDescending(g => g.Count()))
        {
            Row("  because", $"{reason.Count()} x {reason.Key}");
        }

        Row("still running (stuck)", stuck.Count.ToString(CultureInfo.InvariantCulture));
        Row("lost (no job at JobTracker nor ClusterAssign)", lost.Count.ToString(CultureInfo.InvariantCulture));
        Row("registrations at the UC simulator", $"{registeredOnce} of {succeeded.Count} succeeded registered exactly once; doubled (>1 accepted register): {doubled.Count}");
        Row("wrong outcome (job vs where the cluster is)", wrong.Count.ToString(CultureInfo.InvariantCulture));
        foreach (var reason in wrong.GroupBy(v => v.WrongOutcome!))
        {
            Row("  ", $"{reason.Count()} x {reason.Key}");
        }

        Row("JobTracker vs ClusterAssign", $"{_verdicts.Count - disagreements.Count} of {_verdicts.Count} agree; {disagreements.Count} disagree");
        Row("in _error queues", _errorQueues.Values.Sum().ToString(CultureInfo.InvariantCulture));
        foreach (var (queue, count) in _errorQueues.OrderBy(q => q.Key, StringComparer.Ordinal))
        {
            Row("  " + queue, count.ToString(CultureInfo.InvariantCulture));
        }

        Row("quiescent", _quiescent ? "yes" : $"NO (cap {_settings.QuiescenceCap.TotalMinutes:F0} min)");
        Row("**verdict**", Passed ? "**PASS**" : "**FAIL**");

        Console.WriteLine();
        Console.WriteLine("faults:");
        foreach (var line in _timeline)
        {
            Console.WriteLine("  " + line);
        }

        Console.WriteLine();
        Console.Write(table);
        Details("failed jobs", failed, 20);
        Details("stuck jobs", stuck, 20);
        Details("lost jobs", lost, 20);
        Details("doubled registrations", doubled, 20);
        Details("disagreements", disagreements, 20);
        Details("wrong outcomes", wrong, 20);
        foreach (var (queue, lines) in _faults)
        {
            Console.WriteLine($"\n{queue} (fault headers, grouped):");
            foreach (var group in lines.GroupBy(l => l).OrderByDescending(g => g.Count()))
            {
                Console.WriteLine($"  {group.Count()} x {group.Key}");
            }
        }

        void Row(string what, string value) => table.AppendLine(CultureInfo.InvariantCulture, $"| {what} | {value} |");
    }

    private static Verdict Judge(DrillJob job, SummaryLine? summary, IReadOnlyDictionary<Guid, RecordedDrillJob> recorded, UcRegistration? registration)
    {
        var jobId = job.JobId ?? summary?.LastJob?.JobId;
        var atJobTracker = jobId is { } id ? recorded.GetValueOrDefault(id) : null;
        var jobTrackerStatus = atJobTracker?.Status.Replace(" ", "", StringComparison.Ordinal);
        var clusterAssignStatus = summary?.LastJob?.Status;
        var status = jobTrackerStatus ?? clusterAssignStatus;

        string? disagreement = null;
        if (job.JobId is not null && summary?.LastJob is not null && summary.LastJob.JobId != job.JobId)
        {
            disagreement = $"HTTP answered job {job.JobId}, ClusterAssign's last job is {summary.LastJob.JobId}";
        }
        else if (jobId is not null && (atJobTracker is null) != (summary?.LastJob is null))
        {
            disagreement = atJobTracker is null ? $"JobTracker has no job {jobId}; ClusterAssign says {clusterAssignStatus}" : $"ClusterAssign has no job; JobTracker says {jobTrackerStatus}";
        }
        else if (jobTrackerStatus is not null && !string.Equals(jobTrackerStatus, clusterAssignStatus, StringComparison.OrdinalIgnoreCase))
        {
            disagreement = $"JobTracker {jobTrackerStatus}, ClusterAssign {clusterAssignStatus}";
        }

        var lost = jobId is null || (atJobTracker is null && summary?.LastJob is null);
        var stuck = !lost && (status is null or "InProgress" || summary?.OperationRunning == true);
        var registeredAsAsked = registration is { State: "Registered" } r
            && string.Equals(r.VirtualAccount, job.VirtualAccount, StringComparison.OrdinalIgnoreCase)
            && string.Equals(r.SmartAccountDomain, HcsSuite.SmartAccountDomain, StringComparison.OrdinalIgnoreCase);
        var wrong = status switch
        {
            "Succeeded" when !registeredAsAsked => $"Succeeded, but the cluster is {registration?.State ?? "never registered"} at the UC simulator",
            "Failed" when registeredAsAsked => "Failed, but the cluster is registered in the requested VA",
            _ => null,
        };
        var reason = atJobTracker is { Status: "Failed" }
            ? $"{atJobTracker.FailedStep ?? "?"}: {Generalize(atJobTracker.ErrorDescription, job)}"
            : "?";
        return new Verdict(job, jobId, status, atJobTracker, summary, registration, lost, stuck, registration?.RegistrationsStarted > 1, disagreement, wrong, reason);
    }

    /// <summary>A reason without this job's own names, so that the same cause groups.</summary>
    private static string Generalize(string? text, DrillJob job) =>
        (text ?? "(no description)").Replace(job.ClusterName, "{cluster}", StringComparison.OrdinalIgnoreCase)
            .Replace(job.VirtualAccount, "{va}", StringComparison.OrdinalIgnoreCase);

    private static async Task<Dictionary<Guid, RecordedDrillJob>> JobTrackerJobsAsync(HttpClient jobTracker)
    {
        var all = new Dictionary<Guid, RecordedDrillJob>();
        for (var page = 1; ; page++)
        {
            var answer = (await jobTracker.GetFromJsonAsync<RecordedDrillPage>(new Uri($"jobs?page={page}&pageSize=100", UriKind.Relative), Json))!;
            foreach (var job in answer.Items)
            {
                all[job.JobId] = job;
            }

            if (answer.Items.Count == 0 || all.Count >= answer.TotalCount)
            {
                return all;
            }
        }
    }

    /// <summary>
    /// The fault headers MassTransit put on the messages of each error queue (up to 200 a queue), read with basic.get
    /// and never acknowledged: closing the channel returns them all to their queue.
    /// </summary>
    private static async Task<Dictionary<string, List<string>>> PeekFaultsAsync(HcsSuite suite, IEnumerable<string> queues)
    {
        var faults = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        await using var connection = await new ConnectionFactory { Uri = suite.Servers.RabbitMq.AmqpUri, ClientProvidedName = "drill-error-peek" }.CreateConnectionAsync();
        foreach (var queue in queues)
        {
            var lines = faults[queue] = [];
            await using var channel = await connection.CreateChannelAsync();
            for (var i = 0; i < 200; i++)
            {
                var message = await channel.BasicGetAsync(queue, autoAck: false);
                if (message is null)
                {
                    break;
                }

                var headers = message.BasicProperties.Headers ?? new Dictionary<string, object?>();
                string Header(string name) => headers.TryGetValue(name, out var value) ? value switch
                {
                    byte[] bytes => Encoding.UTF8.GetString(bytes),
                    null => "",
                    _ => value.ToString() ?? "",
                } : "";
                var text = Header("MT-Fault-Message");
                lines.Add($"{Header("MT-Reason")} {Header("MT-Fault-ExceptionType")}: {(text.Length <= 200 ? text : text[..200])}");
            }
        }

        return faults;
    }

    private int Count(Func<Verdict, bool> predicate) => _verdicts.Count(predicate);

    private List<Verdict> Where(Func<Verdict, bool> predicate) => [.. _verdicts.Where(predicate)];

    private static void Details(string title, IReadOnlyList<Verdict> verdicts, int max)
    {
        if (verdicts.Count == 0)
        {
            return;
        }

        Console.WriteLine($"\n{title} ({verdicts.Count}; the first {Math.Min(max, verdicts.Count)}):");
        foreach (var v in verdicts.Take(max))
        {
            var steps = v.JobTracker is null ? "unknown to JobTracker" : string.Join(", ", v.JobTracker.ProgressInfo.Select(s => $"{s.Step} - {s.Status}{(s.Detail is { Length: > 0 } d ? $" ({d})" : "")}"));
            Console.WriteLine(
                $"  {v.Job.ClusterName} ({(v.Job.ByHttp ? "HTTP" : "message")}, request {v.Job.RequestId}, job {v.JobId?.ToString() ?? "?"}): JobTracker {v.JobTracker?.Status ?? "-"} [{steps}]" +
                $"{(v.JobTracker?.ErrorDescription is { } e ? $" error: {e}" : "")}; ClusterAssign {v.Summary?.LastJob?.Status ?? "-"}{(v.Summary?.OperationRunning == true ? $" running {v.Summary.CurrentStep}" : "")}" +
                $", registration {v.Summary?.RegistrationState ?? "-"}; UC {v.Registration?.State ?? "no register call"} {v.Registration?.VirtualAccount} (register calls {v.Registration?.RegisterRequests ?? 0}, accepted {v.Registration?.RegistrationsStarted ?? 0})" +
                $"{(v.Disagreement is { } d ? $"; disagreement: {d}" : "")}{(v.WrongOutcome is { } w ? $"; {w}" : "")}");
        }
    }

    private sealed record Verdict(
        DrillJob Job, Guid? JobId, string? Status, RecordedDrillJob? JobTracker, SummaryLine? Summary, UcRegistration? Registration,
        bool Lost, bool Stuck, bool Doubled, string? Disagreement, string? WrongOutcome, string FailureReason);

    private sealed record RecordedDrillPage(List<RecordedDrillJob> Items, int TotalCount);

    private sealed record RecordedDrillJob(Guid JobId, string Status, List<RecordedDrillStep> ProgressInfo, string? ErrorDescription, string? FailedStep);

    private sealed record RecordedDrillStep(string Step, string Status, string? Detail);

    private sealed record UcRegistration(string Name, int RegisterRequests, int RegistrationsStarted, string State, string? SmartAccountDomain, string? VirtualAccount);

    private sealed record SummaryPage(List<SummaryLine> Items, int TotalCount);
}

/// <summary>A line of ClusterAssign's Cluster Summary, the fields the drill reads.</summary>
internal sealed record SummaryLine(string Name, string? VirtualAccount, string? RegistrationState, bool OperationRunning, string? CurrentStep, SummaryLastJob? LastJob);

internal sealed record SummaryLastJob(Guid JobId, string? Status);
