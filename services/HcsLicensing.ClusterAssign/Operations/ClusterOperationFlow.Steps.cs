using HcsLicensing.Contracts.Chpa;
using HcsLicensing.Contracts.Jobs;
using HcsLicensing.Contracts.SmartAccounts;

namespace HcsLicensing.ClusterAssign.Operations;

/// <summary>Starting each step, and what the answers to its request do.</summary>
public sealed partial class ClusterOperationFlow
{
    private void BeginStep(ClusterOperationState s, string step, DateTimeOffset now, List<Outgoing> output)
    {
        s.CurrentStep = step;
        switch (step)
        {
            case OperationSteps.Verification:
                Progress(s, step, JobStepStatus.Inprogress, null, now, output);
                if (s.Operation == Contracts.ClusterAssignments.ClusterOperationType.Unassignment)
                {
                    VerifyCluster(s, now, output);
                }
                else
                {
                    // The token request is Verification's check of the virtual account: unknown, satellite-synced or
                    // unreachable CSSM are all refusals of it. The token itself is fetched again at Registration
                    // (SmartAccountSync reuses it), so none is kept in this table.
                    Await(s, OperationPhase.VerifyingVirtualAccount, options.StepTimeout, now);
                    output.Add(new(Destination.SmartAccountSync, TokenRequest(s)));
                }

                break;
            case OperationSteps.LicenseModeChange when s.LicenseMode == UcLicenseMode.HCS:
                NotApplicable(s, step, "license mode is already HCS", now, output);
                break;
            case OperationSteps.LicenseModeChange:
                Progress(s, step, JobStepStatus.Inprogress, $"{s.LicenseMode} to HCS", now, output);
                Await(s, OperationPhase.ChangingLicenseMode, options.StepTimeout, now);
                output.Add(new(Destination.Chpa, new ChangeLicenseModeRequest { ClusterName = s.ClusterName, SessionId = Session(s), LicenseMode = UcLicenseMode.HCS }));
                break;
            case OperationSteps.TransportModeChange when Same(s.TransportMode, options.Transport.Mode) && Same(s.TransportMode, ChpaTransportModes.Direct):
                NotApplicable(s, step, "transport mode is already Direct", now, output);
                break;
            case OperationSteps.TransportModeChange when Same(s.TransportMode, options.Transport.Mode):
                // Same proxy or gateway mode: whether its address matches needs the full settings (GetTransportSettingsRequest).
                Progress(s, step, JobStepStatus.Inprogress, null, now, output);
                Await(s, OperationPhase.ReadingTransport, options.StepTimeout, now);
                output.Add(new(Destination.Chpa, new GetTransportSettingsRequest { ClusterName = s.ClusterName, SessionId = Session(s) }));
                break;
            case OperationSteps.TransportModeChange:
                Progress(s, step, JobStepStatus.Inprogress, $"{s.TransportMode} to {options.Transport.Mode}", now, output);
                SetTransport(s, now, output);
                break;
            case OperationSteps.Deregistration when s.RegistrationState is not (UcRegistrationState.Registered or UcRegistrationState.Failed):
                NotApplicable(s, step, "the cluster is not registered", now, output);
                break;
            case OperationSteps.Deregistration:
                Progress(s, step, JobStepStatus.Inprogress, $"from {s.SmartAccountDomain}/{s.VirtualAccountName}", now, output);
                Await(s, OperationPhase.Deregistering, options.StepTimeout, now);
                output.Add(new(Destination.Chpa, new DeregisterClusterRequest { ClusterName = s.ClusterName, SessionId = Session(s) }));
                break;
            default:
                Progress(s, OperationSteps.Registration, JobStepStatus.Inprogress, $"to {s.TargetDomain}/{s.TargetVirtualAccount}", now, output);
                Await(s, OperationPhase.FetchingToken, options.StepTimeout, now);
                output.Add(new(Destination.SmartAccountSync, TokenRequest(s)));
                break;
        }
    }

    public IReadOnlyList<Outgoing> OnTokenIssued(ClusterOperationState s, RegistrationTokenIssued issued, DateTimeOffset now)
    {
        var output = new List<Outgoing>();
        if (!ForTarget(s, issued.SmartAccountDomain, issued.VirtualAccountName))
        {
            return output;
        }

        if (s.Phase == OperationPhase.VerifyingVirtualAccount)
        {
            VerifyCluster(s, now, output);
        }
        else if (s.Phase == OperationPhase.FetchingToken)
        {
            Await(s, OperationPhase.Registering, options.RegistrationTimeout, now);
            output.Add(new(Destination.Chpa, new RegisterClusterRequest { ClusterName = s.ClusterName, SessionId = Session(s), IdToken = issued.Token }));
        }

        return output;
    }

    public IReadOnlyList<Outgoing> OnTokenRefused(ClusterOperationState s, RegistrationTokenRefused refused, DateTimeOffset now)
    {
        var output = new List<Outgoing>();
        if (s.Phase is OperationPhase.VerifyingVirtualAccount or OperationPhase.FetchingToken && ForTarget(s, refused.SmartAccountDomain, refused.VirtualAccountName))
        {
            Fail(s, FailureAdvice.FromToken(refused), now, output);
        }

        return output;
    }

    public IReadOnlyList<Outgoing> OnVerified(ClusterOperationState s, VerifyClusterResponse answer, DateTimeOffset now)
    {
        var output = new List<Outgoing>();
        if (!Awaits(s, OperationPhase.VerifyingCluster, answer.SessionId))
        {
            return output;
        }

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
        s.UpdatedAt = now;
        if (answer.ResponseCode != ChpaResponseCode.PASS) // FAIL, or a code this build does not know: never a pass
        {
            Fail(s, FailureAdvice.FromChpa(s.ClusterName, "Verification", answer.ResponseReason, answer.ResponseDescription), now, output);
            return output;
        }

        var registered = s.RegistrationState == UcRegistrationState.Registered;
        var inTarget = registered && ForTarget(s, s.SmartAccountDomain, s.VirtualAccountName);
        switch (s.Operation)
        {
            case Contracts.ClusterAssignments.ClusterOperationType.Assignment when inTarget:
                AlreadyDone(s, $"{s.ClusterName} is already in {s.TargetVirtualAccount}", now, output);
                return output;
            case Contracts.ClusterAssignments.ClusterOperationType.Assignment when registered:
                Fail(s, FailureAdvice.AssignedElsewhere(s.ClusterName, s.SmartAccountDomain, s.VirtualAccountName), now, output);
                return output;
            case Contracts.ClusterAssignments.ClusterOperationType.Unassignment when !registered && s.RegistrationState != UcRegistrationState.Failed:
                AlreadyDone(s, $"{s.ClusterName} is in no virtual account", now, output);
                return output;
            case Contracts.ClusterAssignments.ClusterOperationType.Reassignment when inTarget:
                AlreadyDone(s, $"{s.ClusterName} is already in {s.TargetVirtualAccount}", now, output);
                return output;
        }

        Progress(s, OperationSteps.Verification, JobStepStatus.Pass, $"{s.ApplicationType} {s.Version}", now, output);
        Accept(s, output);
        Next(s, now, output);
        return output;
    }

    public IReadOnlyList<Outgoing> OnLicenseModeChanged(ClusterOperationState s, ChangeLicenseModeResponse answer, DateTimeOffset now)
    {
        var output = new List<Outgoing>();
        if (!Passed(s, OperationPhase.ChangingLicenseMode, answer.SessionId, answer.ResponseCode, answer.ResponseReason, answer.ResponseDescription, now, output))
        {
            return output;
        }

        s.LicenseMode = answer.LicenseMode ?? UcLicenseMode.HCS;
        Done(s, answer.Changed, answer.Changed ? "license mode is HCS" : "license mode was already HCS", now, output);
        return output;
    }

    public IReadOnlyList<Outgoing> OnTransportRead(ClusterOperationState s, GetTransportSettingsResponse answer, DateTimeOffset now)
    {
        var output = new List<Outgoing>();
        if (!Passed(s, OperationPhase.ReadingTransport, answer.SessionId, answer.ResponseCode, answer.ResponseReason, answer.ResponseDescription, now, output))
        {
            return output;
        }

        var target = options.Transport;
        if (Same(answer.Mode, target.Mode) && Same(answer.Url, target.Url ?? "") && Same(answer.IpAddress, target.IpAddress ?? "") && answer.Port == target.Port)
        {
            Done(s, changed: false, $"transport is already {answer.Mode} {answer.IpAddress}{answer.Url}:{answer.Port}", now, output);
        }
        else
        {
            SetTransport(s, now, output);
        }

        return output;
    }

    public IReadOnlyList<Outgoing> OnTransportSet(ClusterOperationState s, SetTransportSettingsResponse answer, DateTimeOffset now)
    {
        var output = new List<Outgoing>();
        if (!Passed(s, OperationPhase.SettingTransport, answer.SessionId, answer.ResponseCode, answer.ResponseReason, answer.ResponseDescription, now, output))
        {
            return output;
        }

        s.TransportMode = answer.Mode ?? options.Transport.Mode;
        Done(s, answer.Changed, $"transport is {s.TransportMode}", now, output);
        return output;
    }

    public IReadOnlyList<Outgoing> OnDeregistered(ClusterOperationState s, DeregisterClusterResponse answer, DateTimeOffset now)
    {
        var output = new List<Outgoing>();
        if (!Passed(s, OperationPhase.Deregistering, answer.SessionId, answer.ResponseCode, answer.ResponseReason, answer.ResponseDescription, now, output))
        {
            return output;
        }

        var from = $"from {s.SmartAccountDomain}/{s.VirtualAccountName}";
        s.RegistrationState = answer.RegistrationState ?? UcRegistrationState.Unregistered;
        s.SmartAccountDomain = null;
        s.VirtualAccountName = null;
        Done(s, answer.Changed, answer.Changed ? $"deregistered {from}" : "was not registered", now, output);
        return output;
    }

    public IReadOnlyList<Outgoing> OnRegistered(ClusterOperationState s, RegisterClusterResponse answer, DateTimeOffset now)
    {
        var output = new List<Outgoing>();
        if (!Passed(s, OperationPhase.Registering, answer.SessionId, answer.ResponseCode, answer.ResponseReason, answer.ResponseDescription, now, output))
        {
            return output;
        }

        s.RegistrationState = answer.RegistrationState ?? UcRegistrationState.Registered;
        s.SmartAccountDomain = answer.SmartAccountDomain ?? s.TargetDomain;
        s.VirtualAccountName = answer.VirtualAccount ?? s.TargetVirtualAccount;
        Done(s, changed: true, $"registered in {s.SmartAccountDomain}/{s.VirtualAccountName}, {answer.AuthorizationState}", now, output);
        return output;
    }

    /// <summary>
    /// Whether a CHPA answer is a PASS for the current wait. A stale answer changes nothing; a FAIL fails the current
    /// step with CHPA's reason; both return false.
    /// </summary>
    private static bool Passed(ClusterOperationState s, OperationPhase phase, string? sessionId, ChpaResponseCode code, ChpaResponseReason reason, string? description, DateTimeOffset now, List<Outgoing> output)
    {
        if (!Awaits(s, phase, sessionId))
        {
            return false;
        }

        if (code != ChpaResponseCode.PASS) // FAIL, or a code this build does not know: never a pass
        {
            Fail(s, FailureAdvice.FromChpa(s.ClusterName, s.CurrentStep!, reason, description), now, output);
            return false;
        }

        return true;
    }

    private void VerifyCluster(ClusterOperationState s, DateTimeOffset now, List<Outgoing> output)
    {
        Await(s, OperationPhase.VerifyingCluster, options.StepTimeout, now);
        output.Add(new(Destination.Chpa, new VerifyClusterRequest { ClusterName = s.ClusterName, SessionId = Session(s) }));
    }

    private void SetTransport(ClusterOperationState s, DateTimeOffset now, List<Outgoing> output)
    {
        var target = options.Transport;
        Await(s, OperationPhase.SettingTransport, options.StepTimeout, now);
        output.Add(new(Destination.Chpa, new SetTransportSettingsRequest
        {
            ClusterName = s.ClusterName,
            SessionId = Session(s),
            Mode = target.Mode,
            Url = target.Url,
            IpAddress = target.IpAddress,
            Port = target.Port,
        }));
    }

    private static GetRegistrationTokenRequest TokenRequest(ClusterOperationState s) => new()
    {
        SmartAccountDomain = s.TargetDomain!,
        VirtualAccountName = s.TargetVirtualAccount!,
        Purpose = $"{s.Operation} of cluster {s.ClusterName} (job {s.JobId})",
    };

    private static void Await(ClusterOperationState s, OperationPhase phase, TimeSpan timeout, DateTimeOffset now)
    {
        s.Phase = phase;
        s.WaitToken = NewToken();
        s.Deadline = now + timeout;
    }

    private static string Session(ClusterOperationState s) => s.WaitToken.ToString("N");

    private static bool Awaits(ClusterOperationState s, OperationPhase phase, string? sessionId) =>
        s.Phase == phase && string.Equals(sessionId, Session(s), StringComparison.Ordinal);

    private static bool ForTarget(ClusterOperationState s, string? domain, string? virtualAccount) =>
        Same(domain, s.TargetDomain) && Same(virtualAccount, s.TargetVirtualAccount);

    private static bool Same(string? a, string? b) => string.Equals(a?.Trim() ?? "", b?.Trim() ?? "", StringComparison.OrdinalIgnoreCase);
}
