using HcsLicensing.ClusterAssign.Operations;
using HcsLicensing.ClusterAssign.Operations.Steps;
using HcsLicensing.Contracts.Chpa;
using HcsLicensing.Contracts.ClusterAssignments;
using HcsLicensing.Contracts.Jobs;
using HcsLicensing.Contracts.SmartAccounts;
using MassTransit;

namespace HcsLicensing.ClusterAssign.Tests.Operations;

/// <summary>
/// A step is one unit: <see cref="LicensingAudit"/>, written here and not shipped, plugged into an Assignment's list,
/// runs with the flow unchanged: its rule, request, answer, failure advice and deadline are all its own.
/// </summary>
public class SampleStepTests
{
    private const string Cluster = "cl1-alfa";
    private const string Domain = "hcs-demo.example.com";
    private const string Va = "HCS-DEMO";
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 15, 51, 33, TimeSpan.Zero);

    private readonly ClusterOperationFlow flow = new(new ClusterAssignOptions(), new ClusterOperations(
        assignment: [new Verification(), new LicensingAudit(), new Registration()],
        unassignment: [new Verification(), new Deregistration()],
        reassignment: [new Verification(), new Deregistration(), new Registration()]));

    private static IEnumerable<T> Of<T>(IEnumerable<Outgoing> output) => output.Select(o => o.Message).OfType<T>();

    private static RegistrationTokenIssued Token() =>
        new() { SmartAccountDomain = Domain, VirtualAccountName = Va, Token = "token-" + Va, ExpiresAt = Now.AddDays(30) };

    private static VerifyClusterResponse Verified(string session, UcApplicationType application = UcApplicationType.CUCM) => new()
    {
        ClusterName = Cluster,
        SessionId = session,
        ResponseCode = ChpaResponseCode.PASS,
        ResponseReason = ChpaResponseReason.chpaNoError,
        ApplicationType = application,
        Version = "12.5.1.11900-146",
        LicenseMode = UcLicenseMode.Enterprise,
        TransportMode = ChpaTransportModes.Direct,
        RegistrationState = UcRegistrationState.Unregistered,
    };

    private static AuditLicensingResponse Audited(string session, ChpaResponseCode code = ChpaResponseCode.PASS) => new()
    {
        ClusterName = Cluster,
        SessionId = session,
        ResponseCode = code,
        ResponseReason = code == ChpaResponseCode.PASS ? ChpaResponseReason.chpaNoError : ChpaResponseReason.chpaUnexpectedAnswer,
        ResponseDescription = code == ChpaResponseCode.PASS ? null : "3 unlicensed devices",
        Findings = 0,
    };

    /// <summary>Starts an assignment of a cluster of <paramref name="application"/> and answers Verification; returns what followed.</summary>
    private IReadOnlyList<Outgoing> Verify(ClusterOperationState s, UcApplicationType application = UcApplicationType.CUCM)
    {
        flow.Start(s, StartOperation.From(new ClusterAssignmentRequest { RequestId = "req-1", ClusterName = Cluster, SmartAccountDomain = Domain, VirtualAccountName = Va }), Now);
        var verify = Of<VerifyClusterRequest>(flow.OnAnswer(s, Token(), Now)).Single();
        return flow.OnAnswer(s, Verified(verify.SessionId!, application), Now);
    }

    [Test]
    public void A_step_plugged_into_an_operation_runs_between_its_neighbours_and_the_job_succeeds()
    {
        var s = new ClusterOperationState { CorrelationId = ClusterKeys.ForCluster(Cluster) };

        var audit = Verify(s);
        var request = Of<AuditLicensingRequest>(audit).Single();
        var register = flow.OnAnswer(s, Audited(request.SessionId!), Now);
        var token = flow.OnAnswer(s, Token(), Now);
        var registerRequest = Of<RegisterClusterRequest>(token).Single();
        var registrationDeadline = s.Deadline;
        var done = flow.OnAnswer(s, new RegisterClusterResponse
        {
            ClusterName = Cluster, SessionId = registerRequest.SessionId, ResponseCode = ChpaResponseCode.PASS, ResponseReason = ChpaResponseReason.chpaNoError,
            RegistrationState = UcRegistrationState.Registered, SmartAccountDomain = Domain, VirtualAccount = Va, Changed = true,
        }, Now);

        Assert.Multiple(() =>
        {
            Assert.That(audit.Single(o => o.Message is AuditLicensingRequest).To, Is.EqualTo(Destination.Chpa));
            Assert.That(Of<JobStepChanged>(audit).Select(c => (c.Step, c.Status)), Is.EqualTo(new[]
            {
                (ClusterOperationSteps.Verification, JobStepStatus.Pass),
                (LicensingAudit.StepName, JobStepStatus.Inprogress),
            }));
            Assert.That(registrationDeadline, Is.EqualTo(Now + TimeSpan.FromMinutes(15)), "Registration's own deadline once the audit passed");
            Assert.That(Of<JobStepChanged>(register).Select(c => (c.Step, c.Status)), Is.EqualTo(new[]
            {
                (LicensingAudit.StepName, JobStepStatus.Pass),
                (ClusterOperationSteps.Registration, JobStepStatus.Inprogress),
            }));
            Assert.That(Of<GetRegistrationTokenRequest>(register).Count(), Is.EqualTo(1));
            Assert.That(Of<JobSucceeded>(done).Count(), Is.EqualTo(1));
            Assert.That(s.VirtualAccountName, Is.EqualTo(Va));
        });
    }

    [Test]
    public void The_job_lists_the_step_and_the_state_machine_subscribes_to_its_answer_and_fault()
    {
        var s = new ClusterOperationState { CorrelationId = ClusterKeys.ForCluster(Cluster) };

        var started = flow.Start(s, StartOperation.From(new ClusterAssignmentRequest { RequestId = "req-1", ClusterName = Cluster, SmartAccountDomain = Domain, VirtualAccountName = Va }), Now);

        Assert.Multiple(() =>
        {
            Assert.That(Of<JobCreated>(started).Single().Steps, Is.EqualTo(new[] { ClusterOperationSteps.Verification, LicensingAudit.StepName, ClusterOperationSteps.Registration }));
            Assert.That(flow.Routes.Select(r => r.MessageType), Does.Contain(typeof(AuditLicensingResponse)).And.Contain(typeof(Fault<AuditLicensingRequest>)));
        });
    }

    [Test]
    public void The_step_is_not_applicable_where_its_rule_says_so()
    {
        var s = new ClusterOperationState { CorrelationId = ClusterKeys.ForCluster(Cluster) };

        var output = Verify(s, UcApplicationType.IMP);

        Assert.Multiple(() =>
        {
            Assert.That(Of<AuditLicensingRequest>(output), Is.Empty);
            Assert.That(Of<JobStepChanged>(output).Select(c => (c.Step, c.Status)), Is.EqualTo(new[]
            {
                (ClusterOperationSteps.Verification, JobStepStatus.Pass),
                (LicensingAudit.StepName, JobStepStatus.NotApplicable),
                (ClusterOperationSteps.Registration, JobStepStatus.Inprogress),
            }));
        });
    }

    [Test]
    public void The_steps_own_failure_advice_and_deadline_apply_to_it()
    {
        var refused = new ClusterOperationState { CorrelationId = ClusterKeys.ForCluster(Cluster) };
        var request = Of<AuditLicensingRequest>(Verify(refused)).Single();
        var failed = flow.OnAnswer(refused, Audited(request.SessionId!, ChpaResponseCode.FAIL), Now);

        var silent = new ClusterOperationState { CorrelationId = ClusterKeys.ForCluster(Cluster) };
        Verify(silent);
        var early = flow.OnTimedOut(silent, silent.WaitToken, Now + LicensingAudit.Deadline - TimeSpan.FromSeconds(1));
        var late = flow.OnTimedOut(silent, silent.WaitToken, Now + LicensingAudit.Deadline);

        Assert.Multiple(() =>
        {
            Assert.That(Of<JobFailed>(failed).Single(), Has.Property("FailedStep").EqualTo(LicensingAudit.StepName)
                .And.Property("ErrorDescription").Contains("failed its licensing audit: 3 unlicensed devices")
                .And.Property("RecommendedAction").EqualTo("Correct the licensing findings, then restart the job"));
            Assert.That(early, Is.Empty, "before the step's own deadline");
            Assert.That(Of<JobFailed>(late).Single(), Has.Property("FailedStep").EqualTo(LicensingAudit.StepName)
                .And.Property("ErrorDescription").Contains("CHPA did not answer within 00:00:42"));
        });
    }
}
