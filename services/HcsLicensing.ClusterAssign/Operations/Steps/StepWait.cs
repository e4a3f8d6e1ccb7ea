namespace HcsLicensing.ClusterAssign.Operations.Steps;

/// <summary>
/// One request a step sends and waits for: the phase the cluster is in meanwhile, the service that answers, and how
/// long it may take before the step fails as timed out.
/// </summary>
public sealed record StepWait(OperationPhase Phase, Destination To, Func<ClusterAssignOptions, TimeSpan> Deadline)
{
    /// <summary>The answering service as operators know it.</summary>
    public string Service => To == Destination.SmartAccountSync ? "SmartAccountSync" : "CHPA";
}

/// <summary>The part every CHPA answer has, as a step reads it to tell stale, FAIL and PASS apart.</summary>
public sealed record ChpaAnswer(string ClusterName, string? SessionId, Contracts.Chpa.ChpaResponseCode Code, Contracts.Chpa.ChpaResponseReason Reason, string? Description);

/// <summary>A message type some step waits for, and how it finds its cluster's saga; see <see cref="IAnswerRouter"/>.</summary>
public abstract class AnswerRoute
{
    public abstract Type MessageType { get; }

    public abstract void ConnectTo(IAnswerRouter router);
}

/// <summary>A message of type <typeparamref name="T"/>, found by its cluster name, or by RequestId when that is null.</summary>
public sealed class AnswerRoute<T>(Func<T, string>? clusterName) : AnswerRoute
    where T : class
{
    public override Type MessageType => typeof(T);

    public override void ConnectTo(IAnswerRouter router) => router.Route(clusterName);
}

/// <summary>What the state machine does with each <see cref="AnswerRoute"/>: one event, routed to the current step.</summary>
public interface IAnswerRouter
{
    void Route<T>(Func<T, string>? clusterName)
        where T : class;
}
