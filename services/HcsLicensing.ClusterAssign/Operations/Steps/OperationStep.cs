using HcsLicensing.Contracts.Chpa;
using HcsLicensing.Contracts.SmartAccounts;
using MassTransit;

namespace HcsLicensing.ClusterAssign.Operations.Steps;

/// <summary>
/// One step of a cluster operation, whole: its name, whether it applies (<see cref="Begin"/> marks it Not Applicable),
/// the requests it sends (each a <see cref="StepWait"/> with its deadline), how it reads their answers and faults, and
/// the advice when it fails. <see cref="ClusterOperationFlow"/> runs any list of steps; the state machine routes every
/// answer a step declares here to the cluster's current step.
/// </summary>
public abstract class OperationStep
{
    private readonly Dictionary<Type, Action<StepRun, object>> handlers = [];
    private readonly List<AnswerRoute> routes = [];
    private readonly List<StepWait> waits = [];

    protected OperationStep(string name) => Name = name;

    /// <summary>The step's name on the Jobs page, one of <see cref="Contracts.ClusterAssignments.ClusterOperationSteps"/>.</summary>
    public string Name { get; }

    /// <summary>Whether an operator may cancel a job in this step: not once it changes the cluster's registration.</summary>
    public virtual bool IsCancelable => true;

    /// <summary>The answers and faults this step waits for, and how each finds its cluster.</summary>
    public IReadOnlyList<AnswerRoute> Routes => routes;

    /// <summary>Starts the step: Not Applicable when its target state already holds, else its first request.</summary>
    public abstract void Begin(StepRun run);

    /// <summary>What an operator reads when CHPA refused the step's request (FAIL).</summary>
    public virtual Failure Refused(StepRun run, ChpaAnswer answer) =>
        FailureAdvice.FromChpa(run.State.ClusterName, Name, answer.Reason, answer.Description);

    /// <summary>What an operator reads when <paramref name="wait"/> passed its deadline.</summary>
    public virtual Failure TimedOut(StepRun run, StepWait wait) =>
        FailureAdvice.TimedOut(run.State.ClusterName, Name, wait.Service, wait.Deadline(run.Options));

    /// <summary>What an operator reads when the consumer of <paramref name="wait"/>'s request gave up on it.</summary>
    public virtual Failure Faulted(StepRun run, StepWait wait, string? error) =>
        FailureAdvice.Faulted(run.State.ClusterName, Name, wait.Service, error);

    /// <summary>The wait of this step in <paramref name="phase"/>, if it has one.</summary>
    public StepWait? WaitIn(OperationPhase phase) => waits.Find(w => w.Phase == phase);

    /// <summary>Hands <paramref name="message"/> to this step; a message it does not wait for changes nothing.</summary>
    public void Handle<T>(StepRun run, T message)
        where T : class
    {
        if (handlers.TryGetValue(typeof(T), out var handle))
        {
            handle(run, message);
        }
    }

    /// <summary>
    /// Declares a request to CHPA that this step waits for in <paramref name="phase"/>; its fault (the consumer gave
    /// up) fails the step. CHPA echoes the cluster name and the SessionId.
    /// </summary>
    protected StepWait ChpaWait<TRequest>(OperationPhase phase, Func<ClusterAssignOptions, TimeSpan> deadline, Func<TRequest, string> clusterName, Func<TRequest, string?> sessionId)
        where TRequest : class
    {
        var wait = Declare(new StepWait(phase, Destination.Chpa, deadline));
        On<Fault<TRequest>>(f => clusterName(f.Message), (run, fault) => run.Faulted(wait, sessionId(fault.Message), Error(fault)));
        return wait;
    }

    /// <summary>
    /// Declares the registration token request to SmartAccountSync that this step waits for in <paramref name="phase"/>:
    /// a refusal fails the step with SmartAccountSync's reason, a token goes to <paramref name="issued"/>.
    /// Its answers come back by RequestId (the saga's id), not by cluster name.
    /// </summary>
    protected StepWait TokenWait(OperationPhase phase, Action<StepRun, RegistrationTokenIssued> issued)
    {
        var wait = Declare(new StepWait(phase, Destination.SmartAccountSync, o => o.StepTimeout));
        On<RegistrationTokenIssued>(null, (run, token) =>
        {
            if (run.Awaits(wait) && run.ForTarget(token.SmartAccountDomain, token.VirtualAccountName))
            {
                issued(run, token);
            }
        });
        On<RegistrationTokenRefused>(null, (run, refused) =>
        {
            if (run.Awaits(wait) && run.ForTarget(refused.SmartAccountDomain, refused.VirtualAccountName))
            {
                run.Fail(RegistrationToken.Advice(refused));
            }
        });
        On<Fault<GetRegistrationTokenRequest>>(null, (run, fault) => run.Faulted(wait, null, Error(fault)));
        return wait;
    }

    /// <summary>
    /// Reads CHPA's answer to <paramref name="wait"/>: a stale one changes nothing, a FAIL fails the step
    /// (<see cref="Refused"/>), a PASS goes to <paramref name="passed"/>.
    /// </summary>
    protected void OnChpa<TAnswer>(StepWait wait, Func<TAnswer, ChpaAnswer> read, Action<StepRun, TAnswer> passed)
        where TAnswer : class =>
        On<TAnswer>(m => read(m).ClusterName, (run, message) =>
        {
            var answer = read(message);
            if (!run.Awaits(wait, answer.SessionId))
            {
                return;
            }

            if (answer.Code != ChpaResponseCode.PASS) // FAIL, or a code this build does not know: never a pass
            {
                run.Fail(Refused(run, answer));
                return;
            }

            passed(run, message);
        });

    /// <summary>
    /// Declares a message this step reads, found by the cluster name in it (<paramref name="clusterName"/>) or, when
    /// null, by its RequestId, which is the saga's id on every request this service sends.
    /// </summary>
    protected void On<T>(Func<T, string>? clusterName, Action<StepRun, T> handle)
        where T : class
    {
        handlers.Add(typeof(T), (run, message) => handle(run, (T)message));
        routes.Add(new AnswerRoute<T>(clusterName));
    }

    private StepWait Declare(StepWait wait)
    {
        waits.Add(wait);
        return wait;
    }

    private static string Error<T>(Fault<T> fault) =>
        string.Join("; ", fault.Exceptions.Select(e => $"{e.ExceptionType}: {e.Message}"));
}
