using HcsLicensing.Contracts.Jobs;

namespace HcsLicensing.ClusterAssign.Operations;

/// <summary>
/// The job events one message's handling decided, as one message per job: when a transition changes a job more than
/// once (a step passes and the next begins; the last step passes and the job succeeds), the events become one
/// <see cref="JobProgressed"/> in the place of the first of them. Each job event costs a delivery and a commit in
/// JobTracker, and separate events could overtake each other on the way; a job changed once keeps its plain event.
/// The flow itself still speaks in single events, so that its rules read as HLM's steps do.
/// </summary>
public static class OneJobEventPerTransition
{
    public static IReadOnlyList<Outgoing> Combine(IReadOnlyList<Outgoing> output)
    {
        var perJob = output.Select(o => JobOf(o)).OfType<Guid>().CountBy(id => id).Where(c => c.Value > 1).Select(c => c.Key).ToHashSet();
        if (perJob.Count == 0)
        {
            return output;
        }

        var combined = new List<Outgoing>(output.Count);
        var places = new Dictionary<Guid, int>();
        foreach (var outgoing in output)
        {
            if (JobOf(outgoing) is not { } jobId || !perJob.Contains(jobId))
            {
                combined.Add(outgoing);
            }
            else if (places.TryGetValue(jobId, out var place))
            {
                combined[place] = new(Destination.Publish, Add((JobProgressed)combined[place].Message, outgoing.Message));
            }
            else
            {
                places[jobId] = combined.Count;
                combined.Add(new(Destination.Publish, Add(new JobProgressed { JobId = jobId }, outgoing.Message)));
            }
        }

        return combined;
    }

    private static Guid? JobOf(Outgoing outgoing) => outgoing.To != Destination.Publish ? null : outgoing.Message switch
    {
        JobCreated created => created.JobId,
        JobStepChanged step => step.JobId,
        JobSucceeded succeeded => succeeded.JobId,
        JobFailed failed => failed.JobId,
        JobCanceled canceled => canceled.JobId,
        _ => null,
    };

    private static JobProgressed Add(JobProgressed progressed, object jobEvent) => jobEvent switch
    {
        JobCreated created => progressed with { Created = created },
        JobStepChanged step => progressed with { Steps = [.. progressed.Steps, step] },
        JobSucceeded succeeded => progressed with { Succeeded = succeeded },
        JobFailed failed => progressed with { Failed = failed },
        JobCanceled canceled => progressed with { Canceled = canceled },
        _ => throw new ArgumentException($"{jobEvent.GetType().Name} is not a job event", nameof(jobEvent)),
    };
}
