using HcsLicensing.Contracts.Chpa;
using HcsLicensing.Contracts.ClusterAssignments;
using HcsLicensing.Contracts.Jobs;

namespace HcsLicensing.ClusterAssign.Operations.Steps;

/// <summary>
/// Verification, first in every operation: SmartAccountSync checks the target virtual account (by issuing a
/// registration token; not for an UnAssignment), then CHPA checks the cluster and reports its state. That state
/// decides whether the job is already done, refused, or goes on, and which later steps are Not Applicable.
/// </summary>
public sealed class Verification : OperationStep
{
    private readonly StepWait virtualAccount;
    private readonly StepWait cluster;

    public Verification()
        : base(ClusterOperationSteps.Verification)
    {
        // The token is Verification's check of the virtual account: unknown, satellite-synced or unreachable CSSM are
        // all refusals of it. Registration uses it (kept encrypted in the saga's row), so it is asked for once per job.
        virtualAccount = TokenWait(OperationPhase.VerifyingVirtualAccount, (run, issued) =>
        {
            run.KeepToken(issued);
            VerifyCluster(run);
        });
        cluster = ChpaWait<VerifyClusterRequest>(OperationPhase.VerifyingCluster, o => o.StepTimeout, r => r.ClusterName, r => r.SessionId);
        On<VerifyClusterResponse>(a => a.ClusterName, Verified);
    }

    public override void Begin(StepRun run)
    {
        run.Progress(JobStepStatus.Inprogress, null);
        if (run.State.Operation == ClusterOperationType.Unassignment)
        {
            VerifyCluster(run);
        }
        else
        {
            run.Send(virtualAccount, _ => RegistrationToken.Request(run.State));
        }
    }

    private void VerifyCluster(StepRun run) =>
        run.Send(cluster, session => new VerifyClusterRequest { ClusterName = run.State.ClusterName, SessionId = session });

    private void Verified(StepRun run, VerifyClusterResponse answer)
    {
        var s = run.State;
        if (!run.Awaits(cluster, answer.SessionId))
        {
            return;
        }

        // The cluster's facts are kept even on FAIL: the Cluster Summary shows what was last seen.
        s.ApplicationType = answer.ApplicationType ?? s.ApplicationType;
        s.Version = answer.Version ?? s.Version;
        if (answer.RegistrationState is { } registration)
        {
            s.RegistrationState = registration;
            s.SmartAccountDomain = answer.SmartAccountDomain;
            s.VirtualAccountName = answer.VirtualAccount;
        }

        s.LicenseMode = answer.LicenseMode;
        s.TransportMode = answer.TransportMode;
        s.UpdatedAt = run.Now;
        if (answer.ResponseCode != ChpaResponseCode.PASS) // FAIL, or a code this build does not know: never a pass
        {
            run.Fail(Refused(run, new(answer.ClusterName, answer.SessionId, answer.ResponseCode, answer.ResponseReason, answer.ResponseDescription)));
            return;
        }

        var registered = s.RegistrationState == UcRegistrationState.Registered;
        var inTarget = registered && run.ForTarget(s.SmartAccountDomain, s.VirtualAccountName);
        if (s.Operation == ClusterOperationType.Assignment && registered && !inTarget)
        {
            run.Fail(AssignedElsewhere(s.ClusterName, s.SmartAccountDomain, s.VirtualAccountName));
            return;
        }

        run.Progress(JobStepStatus.Pass, $"{s.ApplicationType} {s.Version}");
        if (AlreadyDone(s, registered, inTarget) is { } why)
        {
            run.AlreadyDone(why);
            return;
        }

        run.Accept();
        run.Next();
    }

    /// <summary>Why the operation's target state already holds, so that its other steps are Not Applicable; null when it does not.</summary>
    private static string? AlreadyDone(ClusterOperationState s, bool registered, bool inTarget) => s.Operation switch
    {
        ClusterOperationType.Assignment when inTarget => $"{s.ClusterName} is already in {s.TargetVirtualAccount}",
        // A forced re-registration goes on: the cluster believes it is there, CSSM lists it elsewhere.
        ClusterOperationType.Reassignment when inTarget && !s.ReRegister => $"{s.ClusterName} is already in {s.TargetVirtualAccount}",
        ClusterOperationType.Unassignment when !registered && s.RegistrationState != UcRegistrationState.Failed => $"{s.ClusterName} is in no virtual account",
        _ => null,
    };

    /// <summary>An Assignment of a cluster registered in another virtual account: moving it is a ReAssignment.</summary>
    public static Failure AssignedElsewhere(string cluster, string? domain, string? va) => new(
        SmartLicResponseReason.SmartLicAssignedElsewhere,
        $"{cluster} is registered in {domain}/{va}",
        $"Reassign {cluster} (POST /clusters/{cluster}/reassignment) to move it, or unassign it first", false);
}
