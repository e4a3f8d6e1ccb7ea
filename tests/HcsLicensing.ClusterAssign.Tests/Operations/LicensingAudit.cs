using HcsLicensing.ClusterAssign.Operations;
using HcsLicensing.ClusterAssign.Operations.Steps;
using HcsLicensing.Contracts.Chpa;
using HcsLicensing.Contracts.ClusterAssignments;
using HcsLicensing.Contracts.Jobs;

namespace HcsLicensing.ClusterAssign.Tests.Operations;

/// <summary>
/// A step that exists only in this test project, to show that a step is one unit: its contract pair below, this one
/// class, and a line in an operation's list (<see cref="SampleStepTests"/>) are all it takes. CHPA audits the
/// cluster's licensing before registration; Not Applicable on a UC application other than CUCM.
/// </summary>
public sealed class LicensingAudit : OperationStep
{
    public const string StepName = "Licensing Audit";

    /// <summary>Its own deadline, to show the flow reads it from the step.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(42);

    private readonly StepWait auditing;

    public LicensingAudit()
        : base(StepName)
    {
        // A shipped step names its wait with a value of its own in OperationPhase; a test cannot add one, so this borrows
        // one. That is safe: a phase is only ever compared by the step that is current.
        auditing = ChpaWait<AuditLicensingRequest>(OperationPhase.VerifyingCluster, _ => Deadline, r => r.ClusterName, r => r.SessionId);
        OnChpa<AuditLicensingResponse>(auditing, a => new(a.ClusterName, a.SessionId, a.ResponseCode, a.ResponseReason, a.ResponseDescription), Audited);
    }

    public override void Begin(StepRun run)
    {
        if (run.State.ApplicationType != UcApplicationType.CUCM)
        {
            run.NotApplicable($"{run.State.ApplicationType} keeps no licensing audit");
            return;
        }

        run.Progress(JobStepStatus.Inprogress, null);
        run.Send(auditing, session => new AuditLicensingRequest { ClusterName = run.State.ClusterName, SessionId = session });
    }

    public override Failure Refused(StepRun run, ChpaAnswer answer) =>
        new(SmartLicResponseReason.SmartLicFailed, $"{run.State.ClusterName} failed its licensing audit: {answer.Description}", "Correct the licensing findings, then restart the job", true);

    private static void Audited(StepRun run, AuditLicensingResponse answer) =>
        run.Done(changed: true, $"{answer.Findings} findings");
}

/// <summary>The sample step's request (test only).</summary>
public sealed record AuditLicensingRequest
{
    public required string ClusterName { get; init; }

    public string? SessionId { get; init; }
}

/// <summary>The sample step's answer (test only).</summary>
public sealed record AuditLicensingResponse
{
    public required string ClusterName { get; init; }

    public string? SessionId { get; init; }

    public required ChpaResponseCode ResponseCode { get; init; }

    public required ChpaResponseReason ResponseReason { get; init; }

    public string? ResponseDescription { get; init; }

    public int Findings { get; init; }
}
