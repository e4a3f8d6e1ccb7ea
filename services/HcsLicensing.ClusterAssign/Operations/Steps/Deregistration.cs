using HcsLicensing.Contracts.Chpa;
using HcsLicensing.Contracts.ClusterAssignments;
using HcsLicensing.Contracts.Jobs;

namespace HcsLicensing.ClusterAssign.Operations.Steps;

/// <summary>Deregistration: CHPA deregisters the cluster from its virtual account; Not Applicable when it is not registered.</summary>
public sealed class Deregistration : OperationStep
{
    private readonly StepWait deregistering;

    public Deregistration()
        : base(ClusterOperationSteps.Deregistration)
    {
        deregistering = ChpaWait<DeregisterClusterRequest>(OperationPhase.Deregistering, o => o.StepTimeout, r => r.ClusterName, r => r.SessionId);
        OnChpa<DeregisterClusterResponse>(deregistering, a => new(a.ClusterName, a.SessionId, a.ResponseCode, a.ResponseReason, a.ResponseDescription), Deregistered);
    }

    /// <summary>The cluster's registration is changing: canceling now would leave it half moved.</summary>
    public override bool IsCancelable => false;

    public override void Begin(StepRun run)
    {
        var s = run.State;
        if (s.RegistrationState is not (UcRegistrationState.Registered or UcRegistrationState.Failed))
        {
            run.NotApplicable("the cluster is not registered");
            return;
        }

        run.Progress(JobStepStatus.Inprogress, $"from {s.SmartAccountDomain}/{s.VirtualAccountName}");
        run.Send(deregistering, session => new DeregisterClusterRequest { ClusterName = s.ClusterName, SessionId = session });
    }

    private static void Deregistered(StepRun run, DeregisterClusterResponse answer)
    {
        var s = run.State;
        var from = $"from {s.SmartAccountDomain}/{s.VirtualAccountName}";
        s.RegistrationState = answer.RegistrationState ?? UcRegistrationState.Unregistered;
        s.SmartAccountDomain = null;
        s.VirtualAccountName = null;
        run.Done(answer.Changed, answer.Changed ? $"deregistered {from}" : "was not registered");
    }
}
