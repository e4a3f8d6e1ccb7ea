using HcsLicensing.ClusterAssign.Operations.Steps;

namespace HcsLicensing.ClusterAssign.Operations;

/// <summary>Running an operation's list of steps: starting one, and handing each answer to the current one.</summary>
public sealed partial class ClusterOperationFlow
{
    /// <summary>Every message a step of these operations waits for: what the state machine subscribes to.</summary>
    public IEnumerable<AnswerRoute> Routes => operations.Routes;

    /// <summary>
    /// An answer, refusal or fault of a request a step sent: the cluster's current step reads it. One its current
    /// wait does not expect (stale, or for another step) changes nothing.
    /// </summary>
    public IReadOnlyList<Outgoing> OnAnswer<T>(ClusterOperationState s, T answer, DateTimeOffset now)
        where T : class
    {
        var output = new List<Outgoing>();
        if (operations.Find(s.Operation, s.CurrentStep) is { } step)
        {
            step.Handle(new StepRun(this, step, s, options, now, output), answer);
        }

        return output;
    }

    private void BeginStep(ClusterOperationState s, OperationStep step, DateTimeOffset now, List<Outgoing> output)
    {
        s.CurrentStep = step.Name;
        step.Begin(new StepRun(this, step, s, options, now, output));
    }

    internal void Next(ClusterOperationState s, DateTimeOffset now, List<Outgoing> output)
    {
        var current = operations.Find(s.Operation, s.CurrentStep);
        if (current is not null && operations.After(s.Operation, current) is { } next)
        {
            BeginStep(s, next, now, output);
        }
        else
        {
            Succeed(s, null, now, output);
        }
    }

    /// <summary>The current step found the operation's target state already holds: the steps after it are Not Applicable and the job succeeds.</summary>
    internal void AlreadyDone(ClusterOperationState s, string why, DateTimeOffset now, List<Outgoing> output)
    {
        var steps = operations.For(s.Operation);
        foreach (var step in steps.SkipWhile(x => x.Name != s.CurrentStep).Skip(1))
        {
            Progress(s, step.Name, Contracts.Jobs.JobStepStatus.NotApplicable, why, now, output);
        }

        Accept(s, output);
        Succeed(s, why, now, output);
    }

    private bool IsCancelable(ClusterOperationState s, string? step) => operations.Find(s.Operation, step)?.IsCancelable ?? true;
}
