using HcsLicensing.Contracts.Chpa;
using HcsLicensing.Contracts.ClusterAssignments;
using HcsLicensing.Contracts.Jobs;

namespace HcsLicensing.ClusterAssign.Operations.Steps;

/// <summary>License Mode Change: CHPA sets the UC application's license mode to HCS; Not Applicable when it already is.</summary>
public sealed class LicenseModeChange : OperationStep
{
    private readonly StepWait changing;

    public LicenseModeChange()
        : base(ClusterOperationSteps.LicenseModeChange)
    {
        changing = ChpaWait<ChangeLicenseModeRequest>(OperationPhase.ChangingLicenseMode, o => o.StepTimeout, r => r.ClusterName, r => r.SessionId);
        OnChpa<ChangeLicenseModeResponse>(changing, a => new(a.ClusterName, a.SessionId, a.ResponseCode, a.ResponseReason, a.ResponseDescription), Changed);
    }

    public override void Begin(StepRun run)
    {
        var s = run.State;
        if (s.LicenseMode == UcLicenseMode.HCS)
        {
            run.NotApplicable("license mode is already HCS");
            return;
        }

        run.Progress(JobStepStatus.Inprogress, $"{s.LicenseMode} to HCS");
        run.Send(changing, session => new ChangeLicenseModeRequest { ClusterName = s.ClusterName, SessionId = session, LicenseMode = UcLicenseMode.HCS });
    }

    private static void Changed(StepRun run, ChangeLicenseModeResponse answer)
    {
        run.State.LicenseMode = answer.LicenseMode ?? UcLicenseMode.HCS;
        run.Done(answer.Changed, answer.Changed ? "license mode is HCS" : "license mode was already HCS");
    }
}
