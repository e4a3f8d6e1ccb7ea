using HcsLicensing.Contracts.Jobs;

namespace HcsLicensing.ClusterAssign.Operations.Steps;

/// <summary>
/// What a step may do while <see cref="ClusterOperationFlow"/> handles one message for it: read and change the
/// cluster's row, send a request and wait, and end itself (Pass, Not Applicable, Fail). What follows (the next step,
/// the job's end, the requester's answer, a batch lane's next cluster) is the flow's.
/// </summary>
public sealed class StepRun
{
    private readonly ClusterOperationFlow flow;
    private readonly List<Outgoing> output;

    internal StepRun(ClusterOperationFlow flow, OperationStep step, ClusterOperationState state, ClusterAssignOptions options, DateTimeOffset now, List<Outgoing> output)
    {
        this.flow = flow;
        this.output = output;
        Step = step;
        State = state;
        Options = options;
        Now = now;
    }

    public OperationStep Step { get; }

    public ClusterOperationState State { get; }

    public ClusterAssignOptions Options { get; }

    public DateTimeOffset Now { get; }

    /// <summary>Sends <paramref name="wait"/>'s request, its SessionId a new wait token, and waits for the answer until its deadline.</summary>
    public void Send(StepWait wait, Func<string, object> request)
    {
        State.Phase = wait.Phase;
        State.WaitToken = ClusterOperationFlow.NewToken();
        State.Deadline = Now + wait.Deadline(Options);
        output.Add(new(wait.To, request(Session)));
    }

    /// <summary>Whether the cluster waits for <paramref name="wait"/>'s answer now.</summary>
    public bool Awaits(StepWait wait) => State.Phase == wait.Phase;

    /// <summary>Whether an answer with <paramref name="sessionId"/> is the one the cluster waits for now, not a stale one.</summary>
    public bool Awaits(StepWait wait, string? sessionId) => Awaits(wait) && string.Equals(sessionId, Session, StringComparison.Ordinal);

    /// <summary>Keeps <paramref name="issued"/>'s token, encrypted, for a later step of this job (nothing without a safe).</summary>
    public void KeepToken(Contracts.SmartAccounts.RegistrationTokenIssued issued)
    {
        // Usable for a while yet when Registration takes it: CHPA hands it to the UC application, which calls CSSM with it.
        if (flow.Tokens is { } safe)
        {
            State.ProtectedToken = safe.Protect(issued.Token, issued.ExpiresAt - TokenMargin);
        }
    }

    /// <summary>The token an earlier step kept, once (it is cleared as it is taken); null when none is kept or it expired.</summary>
    public string? TakeToken()
    {
        var token = flow.Tokens?.Unprotect(State.ProtectedToken);
        State.ProtectedToken = null;
        return token;
    }

    /// <summary>Whether a virtual account is the operation's target.</summary>
    public bool ForTarget(string? domain, string? virtualAccount) => Same(domain, State.TargetDomain) && Same(virtualAccount, State.TargetVirtualAccount);

    public void Progress(JobStepStatus status, string? detail) => flow.Progress(State, Step.Name, status, detail, Now, output);

    /// <summary>The step's target state already holds: Not Applicable, and on to the next step.</summary>
    public void NotApplicable(string detail)
    {
        Progress(JobStepStatus.NotApplicable, detail);
        Next();
    }

    /// <summary>The step's request was answered PASS: Pass if it changed something, else Not Applicable; then the next step.</summary>
    public void Done(bool changed, string detail)
    {
        Progress(changed ? JobStepStatus.Pass : JobStepStatus.NotApplicable, detail);
        Next();
    }

    /// <summary>The next step of the operation, or the job's success after the last.</summary>
    public void Next() => flow.Next(State, Now, output);

    public void Fail(Failure failure) => ClusterOperationFlow.Fail(State, failure, Now, output);

    /// <summary>The consumer of <paramref name="wait"/>'s request gave up on it; without a session, any request of that wait.</summary>
    public void Faulted(StepWait wait, string? sessionId, string? error)
    {
        if (State.IsRunning && (sessionId is null ? Awaits(wait) : Awaits(wait, sessionId)))
        {
            Fail(Step.Faulted(this, wait, error));
        }
    }

    /// <summary>The requester hears PASS with the job id (once); the job runs on.</summary>
    public void Accept() => ClusterOperationFlow.Accept(State, output);

    /// <summary>The operation's target state already holds: this step passes, the others are Not Applicable, the job succeeds.</summary>
    public void AlreadyDone(string why) => flow.AlreadyDone(State, why, Now, output);

    public static bool Same(string? a, string? b) => string.Equals(a?.Trim() ?? "", b?.Trim() ?? "", StringComparison.OrdinalIgnoreCase);

    private static readonly TimeSpan TokenMargin = TimeSpan.FromMinutes(10);

    private string Session => State.WaitToken.ToString("N");
}
