using System.Collections.Concurrent;
using System.Diagnostics;
using HcsLicensing.Contracts.ClusterAssignments;
using HcsLicensing.Contracts.Jobs;

namespace HcsLicensing.Benchmarks;

/// <summary>One assignment the benchmark submits, and when what happened to it (Stopwatch timestamps, 0 = not yet).</summary>
internal sealed class LoadJob(LoadPhase phase, int index, string requestId, string clusterName, string virtualAccount)
{
    private int _ended;

    public LoadPhase Phase { get; } = phase;

    public int Index { get; } = index;

    public string RequestId { get; } = requestId;

    public string ClusterName { get; } = clusterName;

    public string VirtualAccount { get; } = virtualAccount;

    /// <summary>When the request was due to be sent: its latency counts from here (for a paced phase, the schedule's time, so a late send is not hidden).</summary>
    public long Sent { get; set; }

    /// <summary>When the benchmark actually began sending it.</summary>
    public long ActualSent { get; set; }

    /// <summary>When ClusterAssign's answer arrived (ClusterAssignmentResp after Verification, or the HTTP 202).</summary>
    public long Answered { get; set; }

    /// <summary>When ClusterOperationCompleted arrived: the job's end, as another service waiting for it sees it.</summary>
    public long Ended { get; private set; }

    public Guid? JobId { get; set; }

    /// <summary>ClusterAssign's time of the job's end (ClusterOperationCompleted.CompletedAt).</summary>
    public DateTimeOffset? CompletedAt { get; set; }

    public bool Succeeded { get; private set; }

    public string? Failure { get; private set; }

    public bool HasEnded => Volatile.Read(ref _ended) == 1;

    /// <summary>Records the job's end once (the first outcome wins) and tells its phase.</summary>
    public void End(long at, bool succeeded, string? failure)
    {
        if (Interlocked.Exchange(ref _ended, 1) == 1)
        {
            return;
        }

        Ended = at;
        Succeeded = succeeded;
        Failure = failure;
        Phase.OnEnded();
    }
}

/// <summary>A set of jobs submitted together (warm-up, saturation, paced) and whether they have all ended.</summary>
internal sealed class LoadPhase
{
    private readonly TaskCompletionSource _allEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _remaining;

    public LoadPhase(string name, IEnumerable<(string Cluster, string VirtualAccount)> targets, string runId)
    {
        Name = name;
        Jobs = [.. targets.Select((t, i) => new LoadJob(this, i, $"bench-{runId}-{name}-{i}", t.Cluster, t.VirtualAccount))];
        _remaining = Jobs.Count;
        if (_remaining == 0)
        {
            _allEnded.SetResult();
        }
    }

    public string Name { get; }

    public IReadOnlyList<LoadJob> Jobs { get; }

    /// <summary>Bounds the jobs in flight in a saturation phase: taken before a submit, given back when the job ends.</summary>
    public SemaphoreSlim? Gate { get; set; }

    public int EndedCount => Jobs.Count - Volatile.Read(ref _remaining);

    public Task AllEnded => _allEnded.Task;

    public void OnEnded()
    {
        Gate?.Release();
        if (Interlocked.Decrement(ref _remaining) == 0)
        {
            _allEnded.TrySetResult();
        }
    }
}

/// <summary>
/// Matches what the benchmark's bus receives to the jobs it submitted, by RequestId: ClusterAssignmentResp (published by
/// ClusterAssign when a request gives no response address) and ClusterOperationCompleted (published when a job ends).
/// </summary>
internal sealed class LoadObserver
{
    private readonly ConcurrentDictionary<string, LoadJob> _jobs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Guid, ConcurrentQueue<JobStepChanged>> _steps = new();
    private long _received;
    private long _unknown;

    /// <summary>Messages the benchmark's own queue received (they are part of the broker's counts, not the services').</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>Messages for requests this benchmark does not know (another suite's, or a stray): should stay 0.</summary>
    public long Unknown => Interlocked.Read(ref _unknown);

    public void Track(LoadPhase phase)
    {
        foreach (var job in phase.Jobs)
        {
            _jobs[job.RequestId] = job;
        }
    }

    public void OnAnswer(ClusterAssignmentResp answer)
    {
        var at = Stopwatch.GetTimestamp();
        Interlocked.Increment(ref _received);
        if (!_jobs.TryGetValue(answer.RequestId, out var job))
        {
            Interlocked.Increment(ref _unknown);
            return;
        }

        if (job.Answered == 0)
        {
            job.Answered = at;
        }

        job.JobId ??= answer.JobId;
        if (answer.ResponseCode == SmartLicResponseCode.FAIL && answer.JobId is null)
        {
            // Refused before any job started (invalid, another operation running): no ClusterOperationCompleted follows.
            job.End(at, succeeded: false, $"refused: {answer.ResponseReason}: {answer.ResponseDescription}");
        }
    }

    /// <summary>The step events of a job (only with --steps: the benchmark then subscribes to JobStepChanged too).</summary>
    public IReadOnlyCollection<JobStepChanged> StepsOf(Guid jobId) => _steps.TryGetValue(jobId, out var steps) ? steps : [];

    public void OnStep(JobStepChanged step)
    {
        Interlocked.Increment(ref _received);
        _steps.GetOrAdd(step.JobId, _ => new ConcurrentQueue<JobStepChanged>()).Enqueue(step);
    }

    public void OnCompleted(ClusterOperationCompleted completed)
    {
        var at = Stopwatch.GetTimestamp();
        Interlocked.Increment(ref _received);
        if (!_jobs.TryGetValue(completed.RequestId, out var job))
        {
            Interlocked.Increment(ref _unknown);
            return;
        }

        job.JobId ??= completed.JobId;
        job.CompletedAt = completed.CompletedAt;
        job.End(at, completed.Status == JobStatus.Succeeded, completed.Status == JobStatus.Succeeded
            ? null
            : $"{completed.Status} at {completed.FailedStep ?? "?"}: {completed.Reason}: {completed.ErrorDescription}");
    }
}

/// <summary>Stopwatch timestamps as the wall clock (UTC) the services stamp their times with: same machine, same clock.</summary>
internal static class WallClock
{
    private static readonly long OriginTimestamp = Stopwatch.GetTimestamp();
    private static readonly DateTimeOffset OriginWall = DateTimeOffset.UtcNow;

    public static DateTimeOffset At(long timestamp) => OriginWall + Stopwatch.GetElapsedTime(OriginTimestamp, timestamp);
}
