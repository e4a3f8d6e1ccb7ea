using HcsLicensing.Contracts.Chpa;
using HcsLicensing.Contracts.ClusterAssignments;
using HcsLicensing.Contracts.Jobs;

namespace HcsLicensing.ClusterAssign.Operations.Steps;

/// <summary>
/// Transport Mode Change: CHPA sets the UC application's transport to CSSM to the configured one
/// (<see cref="ClusterAssignOptions.Transport"/>). Not Applicable when Direct is wanted and held; with the same proxy or
/// gateway mode, CHPA first reads the full settings to tell whether the address matches.
/// </summary>
public sealed class TransportModeChange : OperationStep
{
    private readonly StepWait reading;
    private readonly StepWait setting;

    public TransportModeChange()
        : base(ClusterOperationSteps.TransportModeChange)
    {
        reading = ChpaWait<GetTransportSettingsRequest>(OperationPhase.ReadingTransport, o => o.StepTimeout, r => r.ClusterName, r => r.SessionId);
        setting = ChpaWait<SetTransportSettingsRequest>(OperationPhase.SettingTransport, o => o.StepTimeout, r => r.ClusterName, r => r.SessionId);
        OnChpa<GetTransportSettingsResponse>(reading, a => new(a.ClusterName, a.SessionId, a.ResponseCode, a.ResponseReason, a.ResponseDescription), Read);
        OnChpa<SetTransportSettingsResponse>(setting, a => new(a.ClusterName, a.SessionId, a.ResponseCode, a.ResponseReason, a.ResponseDescription), Set);
    }

    public override void Begin(StepRun run)
    {
        var s = run.State;
        var target = run.Options.Transport;
        if (StepRun.Same(s.TransportMode, target.Mode) && StepRun.Same(s.TransportMode, ChpaTransportModes.Direct))
        {
            run.NotApplicable("transport mode is already Direct");
        }
        else if (StepRun.Same(s.TransportMode, target.Mode))
        {
            run.Progress(JobStepStatus.Inprogress, null);
            run.Send(reading, session => new GetTransportSettingsRequest { ClusterName = s.ClusterName, SessionId = session });
        }
        else
        {
            run.Progress(JobStepStatus.Inprogress, $"{s.TransportMode} to {target.Mode}");
            SetTransport(run);
        }
    }

    private void Read(StepRun run, GetTransportSettingsResponse answer)
    {
        var target = run.Options.Transport;
        if (StepRun.Same(answer.Mode, target.Mode) && StepRun.Same(answer.Url, target.Url ?? "") && StepRun.Same(answer.IpAddress, target.IpAddress ?? "") && answer.Port == target.Port)
        {
            run.Done(changed: false, $"transport is already {answer.Mode} {answer.IpAddress}{answer.Url}:{answer.Port}");
        }
        else
        {
            SetTransport(run);
        }
    }

    private static void Set(StepRun run, SetTransportSettingsResponse answer)
    {
        run.State.TransportMode = answer.Mode ?? run.Options.Transport.Mode;
        run.Done(answer.Changed, $"transport is {run.State.TransportMode}");
    }

    private void SetTransport(StepRun run)
    {
        var target = run.Options.Transport;
        run.Send(setting, session => new SetTransportSettingsRequest
        {
            ClusterName = run.State.ClusterName,
            SessionId = session,
            Mode = target.Mode,
            Url = target.Url,
            IpAddress = target.IpAddress,
            Port = target.Port,
        });
    }
}
