using HcsLicensing.Contracts.Chpa;
using HcsLicensing.Contracts.ClusterAssignments;
using HcsLicensing.Contracts.Jobs;

namespace HcsLicensing.ClusterAssign.Operations.Steps;

/// <summary>
/// Registration: CHPA registers the cluster with a token of the target virtual account (the one Verification obtained,
/// or one SmartAccountSync issues now when none is kept: after a restart, or once it expired) and answers once the
/// publisher has restarted and reports its state, so this wait has its own, longer deadline.
/// </summary>
public sealed class Registration : OperationStep
{
    private readonly StepWait fetching;
    private readonly StepWait registering;

    public Registration()
        : base(ClusterOperationSteps.Registration)
    {
        fetching = TokenWait(OperationPhase.FetchingToken, (run, issued) => Register(run, issued.Token));
        registering = ChpaWait<RegisterClusterRequest>(OperationPhase.Registering, o => o.RegistrationTimeout, r => r.ClusterName, r => r.SessionId);
        OnChpa<RegisterClusterResponse>(registering, a => new(a.ClusterName, a.SessionId, a.ResponseCode, a.ResponseReason, a.ResponseDescription), Registered);
    }

    /// <summary>The cluster's registration is changing: canceling now would leave it half registered.</summary>
    public override bool IsCancelable => false;

    public override void Begin(StepRun run)
    {
        var s = run.State;
        run.Progress(JobStepStatus.Inprogress, $"to {s.TargetDomain}/{s.TargetVirtualAccount}");
        if (run.TakeToken() is { } kept)
        {
            Register(run, kept);
        }
        else
        {
            run.Send(fetching, _ => RegistrationToken.Request(s));
        }
    }

    private void Register(StepRun run, string token) =>
        run.Send(registering, session => new RegisterClusterRequest { ClusterName = run.State.ClusterName, SessionId = session, IdToken = token });

    private static void Registered(StepRun run, RegisterClusterResponse answer)
    {
        var s = run.State;
        s.RegistrationState = answer.RegistrationState ?? UcRegistrationState.Registered;
        s.SmartAccountDomain = answer.SmartAccountDomain ?? s.TargetDomain;
        s.VirtualAccountName = answer.VirtualAccount ?? s.TargetVirtualAccount;
        run.Done(changed: true, $"registered in {s.SmartAccountDomain}/{s.VirtualAccountName}, {answer.AuthorizationState}");
    }
}
