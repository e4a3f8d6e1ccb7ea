using HcsLicensing.ClusterAssign;
using HcsLicensing.ClusterAssign.Operations;
using HcsLicensing.Contracts.Chpa;
using HcsLicensing.Contracts.ClusterAssignments;
using HcsLicensing.Contracts.Jobs;
using HcsLicensing.Contracts.SmartAccounts;

namespace HcsLicensing.ClusterAssign.Tests.Operations;

/// <summary>The ClusterOperation rules without a bus: each case breaks if the behaviour an operator relies on changes.</summary>
public class ClusterOperationFlowTests
{
    private const string Cluster = "cl1-alfa";
    private const string Domain = "hcs-demo.example.com";
    private const string Va = "HCS-DEMO";
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 15, 51, 33, TimeSpan.Zero);

    private readonly ClusterOperationFlow flow = new(new ClusterAssignOptions());

    private static ClusterOperationState NewCluster() => new() { CorrelationId = ClusterKeys.ForCluster(Cluster) };

    private static StartOperation Assignment(string requestId = "req-1", string va = Va) =>
        StartOperation.From(new ClusterAssignmentRequest { RequestId = requestId, ClusterName = Cluster, SmartAccountDomain = Domain, VirtualAccountName = va });

    private static IEnumerable<T> Of<T>(IEnumerable<Outgoing> output) => output.Select(o => o.Message).OfType<T>();

    private static ClusterAssignmentResp ReplyIn(IEnumerable<Outgoing> output) => Of<Reply>(output).Single().Answer;

    private static string Session(IEnumerable<Outgoing> output) => output.Select(o => o.Message) switch
    {
        var m => m.OfType<VerifyClusterRequest>().Select(r => r.SessionId)
            .Concat(m.OfType<ChangeLicenseModeRequest>().Select(r => r.SessionId))
            .Concat(m.OfType<SetTransportSettingsRequest>().Select(r => r.SessionId))
            .Concat(m.OfType<GetTransportSettingsRequest>().Select(r => r.SessionId))
            .Concat(m.OfType<DeregisterClusterRequest>().Select(r => r.SessionId))
            .Concat(m.OfType<RegisterClusterRequest>().Select(r => r.SessionId))
            .Single()!,
    };

    private static RegistrationTokenIssued Token(string va = Va) =>
        new() { SmartAccountDomain = Domain, VirtualAccountName = va, Token = "token-" + va, ExpiresAt = Now.AddDays(30) };

    private static VerifyClusterResponse Verified(string session, UcLicenseMode mode = UcLicenseMode.Enterprise, UcRegistrationState state = UcRegistrationState.Unregistered, string? va = null, string transport = ChpaTransportModes.Direct) => new()
    {
        ClusterName = Cluster,
        SessionId = session,
        ResponseCode = ChpaResponseCode.PASS,
        ResponseReason = ChpaResponseReason.chpaNoError,
        Reachable = true,
        CredentialsAccepted = true,
        ApplicationType = UcApplicationType.CUCM,
        Version = "12.5.1.11900-146",
        VersionSupported = true,
        LicenseMode = mode,
        TransportMode = transport,
        RegistrationState = state,
        SmartAccountDomain = va is null ? null : Domain,
        VirtualAccount = va,
    };

    private static RegisterClusterResponse RegisteredAnswer(string session, string va = Va) => new()
    {
        ClusterName = Cluster,
        SessionId = session,
        ResponseCode = ChpaResponseCode.PASS,
        ResponseReason = ChpaResponseReason.chpaNoError,
        RegistrationState = UcRegistrationState.Registered,
        AuthorizationState = UcAuthorizationState.Authorized,
        SmartAccountDomain = Domain,
        VirtualAccount = va,
        Changed = true,
    };

    /// <summary>Runs an assignment up to the register request; returns its output.</summary>
    private IReadOnlyList<Outgoing> UpToRegister(ClusterOperationState s)
    {
        flow.Start(s, Assignment(), Now);
        var verify = flow.OnAnswer(s, Token(), Now);
        var afterVerify = flow.OnAnswer(s, Verified(Session(verify)), Now);
        var afterLicense = flow.OnAnswer(s, new ChangeLicenseModeResponse
        {
            ClusterName = Cluster, SessionId = Session(afterVerify), ResponseCode = ChpaResponseCode.PASS, ResponseReason = ChpaResponseReason.chpaNoError,
            LicenseMode = UcLicenseMode.HCS, Changed = true,
        }, Now);
        Assert.That(Of<GetRegistrationTokenRequest>(afterLicense).Count(), Is.EqualTo(1), "Registration asks for a token");
        return flow.OnAnswer(s, Token(), Now);
    }

    [Test]
    public void An_assignment_runs_the_four_steps_in_order_and_succeeds_with_the_cluster_in_the_VA()
    {
        var s = NewCluster();

        var started = flow.Start(s, Assignment(), Now);
        var created = Of<JobCreated>(started).Single();
        Assert.Multiple(() =>
        {
            Assert.That(created.Steps, Is.EqualTo(new[] { ClusterOperationSteps.Verification, ClusterOperationSteps.LicenseModeChange, ClusterOperationSteps.TransportModeChange, ClusterOperationSteps.Registration }));
            Assert.That(created.Description, Is.EqualTo("Assignment of Cluster cl1-alfa to HCS-DEMO started"));
            Assert.That(Of<JobStepChanged>(started).Single().Status, Is.EqualTo(JobStepStatus.Inprogress));
            Assert.That(Of<GetRegistrationTokenRequest>(started).Single().VirtualAccountName, Is.EqualTo(Va));
        });

        var register = UpToRegister(s);
        Assert.That(Of<RegisterClusterRequest>(register).Single().IdToken, Is.EqualTo("token-HCS-DEMO"));
        var done = flow.OnAnswer(s, RegisteredAnswer(Session(register)), Now.AddSeconds(5));

        Assert.Multiple(() =>
        {
            Assert.That(Of<JobStepChanged>(done).Single(), Has.Property("Step").EqualTo(ClusterOperationSteps.Registration).And.Property("Status").EqualTo(JobStepStatus.Pass));
            Assert.That(Of<JobSucceeded>(done).Single().Description, Does.StartWith("Assignment of Cluster cl1-alfa to HCS-DEMO completed"));
            Assert.That(Of<ClusterOperationCompleted>(done).Single().VirtualAccountName, Is.EqualTo(Va));
            Assert.That(s.Phase, Is.EqualTo(OperationPhase.Idle));
            Assert.That(s.VirtualAccountName, Is.EqualTo(Va));
            Assert.That(s.LastJobStatus, Is.EqualTo(JobStatus.Succeeded));
            Assert.That(s.Deadline, Is.Null);
        });
    }

    [Test]
    public void Verification_passing_answers_the_requester_PASS_with_the_job_and_skips_steps_whose_state_holds()
    {
        var s = NewCluster();
        flow.Start(s, Assignment(), Now);
        var verify = flow.OnAnswer(s, Token(), Now);

        var output = flow.OnAnswer(s, Verified(Session(verify), mode: UcLicenseMode.HCS), Now);

        var steps = Of<JobStepChanged>(output).Select(c => (c.Step, c.Status)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(ReplyIn(output), Has.Property("ResponseCode").EqualTo(SmartLicResponseCode.PASS).And.Property("JobId").EqualTo(ClusterKeys.ForJob("req-1", Cluster)));
            Assert.That(steps, Is.EqualTo(new[]
            {
                (ClusterOperationSteps.Verification, JobStepStatus.Pass),
                (ClusterOperationSteps.LicenseModeChange, JobStepStatus.NotApplicable),
                (ClusterOperationSteps.TransportModeChange, JobStepStatus.NotApplicable),
                (ClusterOperationSteps.Registration, JobStepStatus.Inprogress),
            }));
            Assert.That(Of<ChangeLicenseModeRequest>(output), Is.Empty);
        });
    }

    [Test]
    public void A_cluster_already_in_the_VA_succeeds_at_once_with_every_other_step_not_applicable()
    {
        var s = NewCluster();
        flow.Start(s, Assignment(), Now);
        var verify = flow.OnAnswer(s, Token(), Now);

        var output = flow.OnAnswer(s, Verified(Session(verify), UcLicenseMode.HCS, UcRegistrationState.Registered, Va), Now);

        Assert.Multiple(() =>
        {
            Assert.That(Of<JobStepChanged>(output).Skip(1).Select(c => c.Status), Is.All.EqualTo(JobStepStatus.NotApplicable));
            Assert.That(Of<JobSucceeded>(output).Count(), Is.EqualTo(1));
            Assert.That(ReplyIn(output).ResponseCode, Is.EqualTo(SmartLicResponseCode.PASS));
            Assert.That(output.Select(o => o.To), Has.None.EqualTo(Destination.Chpa));
        });
    }

    [Test]
    public void A_reassignment_to_the_VA_the_cluster_reports_succeeds_at_once_unless_it_re_registers()
    {
        var plain = NewCluster();
        var forced = NewCluster();
        flow.Start(plain, StartOperation.From(new ClusterReassignmentRequest { RequestId = "r-1", ClusterName = Cluster, SmartAccountDomain = Domain, VirtualAccountName = Va }), Now);
        flow.Start(forced, StartOperation.From(new ClusterReassignmentRequest { RequestId = "r-2", ClusterName = Cluster, SmartAccountDomain = Domain, VirtualAccountName = Va, ReRegister = true }), Now);
        var plainVerify = flow.OnAnswer(plain, Token(), Now);
        var forcedVerify = flow.OnAnswer(forced, Token(), Now);

        var plainOutput = flow.OnAnswer(plain, Verified(Session(plainVerify), UcLicenseMode.HCS, UcRegistrationState.Registered, Va), Now);
        var forcedOutput = flow.OnAnswer(forced, Verified(Session(forcedVerify), UcLicenseMode.HCS, UcRegistrationState.Registered, Va), Now);

        Assert.Multiple(() =>
        {
            Assert.That(Of<JobSucceeded>(plainOutput).Count(), Is.EqualTo(1), "already in that VA");
            Assert.That(Of<DeregisterClusterRequest>(plainOutput), Is.Empty);
            Assert.That(Of<JobSucceeded>(forcedOutput), Is.Empty);
            Assert.That(Of<DeregisterClusterRequest>(forcedOutput).Single().ClusterName, Is.EqualTo(Cluster), "deregistered, to register again in the VA");
            Assert.That(forced.CurrentStep, Is.EqualTo(ClusterOperationSteps.Deregistration));
        });
    }

    [Test]
    public void A_cluster_registered_to_another_VA_is_refused_with_advice_to_reassign()
    {
        var s = NewCluster();
        flow.Start(s, Assignment(), Now);
        var verify = flow.OnAnswer(s, Token(), Now);

        var output = flow.OnAnswer(s, Verified(Session(verify), state: UcRegistrationState.Registered, va: "OTHER-VA"), Now);

        var failed = Of<JobFailed>(output).Single();
        Assert.Multiple(() =>
        {
            Assert.That(ReplyIn(output).ResponseReason, Is.EqualTo(SmartLicResponseReason.SmartLicAssignedElsewhere));
            Assert.That(failed.FailedStep, Is.EqualTo(ClusterOperationSteps.Verification));
            Assert.That(failed.RecommendedAction, Does.Contain("Reassign"));
        });
    }

    [Test]
    public void A_second_operation_on_a_busy_cluster_is_refused_naming_the_running_job()
    {
        var s = NewCluster();
        flow.Start(s, Assignment("req-1"), Now);

        var output = flow.Start(s, StartOperation.From(new ClusterUnassignmentRequest { RequestId = "req-2", ClusterName = Cluster }), Now);

        var answer = ReplyIn(output);
        Assert.Multiple(() =>
        {
            Assert.That(answer.ResponseReason, Is.EqualTo(SmartLicResponseReason.SmartLicOperationInProgress));
            Assert.That(answer.RunningJobId, Is.EqualTo(ClusterKeys.ForJob("req-1", Cluster)));
            Assert.That(answer.JobId, Is.Null);
            Assert.That(Of<JobCreated>(output), Is.Empty);
            Assert.That(s.JobId, Is.EqualTo(ClusterKeys.ForJob("req-1", Cluster)));
        });
    }

    [Test]
    public void The_same_request_id_twice_finds_the_same_job_and_starts_nothing()
    {
        var s = NewCluster();
        flow.Start(s, Assignment("req-1"), Now);
        var waitToken = s.WaitToken;

        var output = flow.Start(s, Assignment("req-1"), Now);

        Assert.Multiple(() =>
        {
            Assert.That(output, Has.Count.EqualTo(1));
            Assert.That(ReplyIn(output), Has.Property("Duplicate").True.And.Property("JobId").EqualTo(ClusterKeys.ForJob("req-1", Cluster)));
            Assert.That(s.WaitToken, Is.EqualTo(waitToken));
        });
    }

    [TestCase(RegistrationTokenRefusalReason.SatelliteSynced, SmartLicResponseReason.SmartLicSatelliteSynced, false)]
    [TestCase(RegistrationTokenRefusalReason.UnknownVirtualAccount, SmartLicResponseReason.SmartLicUnknownVirtualAccount, false)]
    [TestCase(RegistrationTokenRefusalReason.CssmUnavailable, SmartLicResponseReason.SmartLicCssmUnavailable, true)]
    public void A_refused_VA_fails_Verification_with_its_reason(RegistrationTokenRefusalReason refusal, SmartLicResponseReason reason, bool restartable)
    {
        var s = NewCluster();
        flow.Start(s, Assignment(), Now);

        var output = flow.OnAnswer(s, new RegistrationTokenRefused { SmartAccountDomain = Domain, VirtualAccountName = Va, Reason = refusal, Detail = "from SmartAccountSync" }, Now);

        Assert.Multiple(() =>
        {
            Assert.That(ReplyIn(output), Has.Property("ResponseCode").EqualTo(SmartLicResponseCode.FAIL).And.Property("ResponseReason").EqualTo(reason));
            Assert.That(Of<JobFailed>(output).Single(), Has.Property("FailedStep").EqualTo(ClusterOperationSteps.Verification).And.Property("IsRestartable").EqualTo(restartable));
            Assert.That(s.Phase, Is.EqualTo(OperationPhase.Failed));
            Assert.That(Of<VerifyClusterRequest>(output), Is.Empty);
        });
    }

    [Test]
    public void A_version_below_12_5_fails_Verification_and_is_not_restartable()
    {
        var s = NewCluster();
        flow.Start(s, Assignment(), Now);
        var verify = flow.OnAnswer(s, Token(), Now);

        var output = flow.OnAnswer(s, Verified(Session(verify)) with
        {
            ResponseCode = ChpaResponseCode.FAIL,
            ResponseReason = ChpaResponseReason.chpaVersionUnsupported,
            Version = "11.5.1.18900-97",
            ResponseDescription = "cl1-alfa runs 11.5.1.18900-97",
        }, Now);

        Assert.Multiple(() =>
        {
            Assert.That(ReplyIn(output).ResponseReason, Is.EqualTo(SmartLicResponseReason.SmartLicVersionUnsupported));
            Assert.That(Of<JobFailed>(output).Single(), Has.Property("IsRestartable").False.And.Property("ErrorDescription").Contains("11.5.1.18900-97"));
        });
    }

    [Test]
    public void An_answer_to_an_earlier_wait_is_ignored()
    {
        var s = NewCluster();
        flow.Start(s, Assignment(), Now);
        var verify = flow.OnAnswer(s, Token(), Now);
        var stale = Session(verify);
        flow.OnAnswer(s, Verified(stale), Now);

        var output = flow.OnAnswer(s, Verified(stale), Now);

        Assert.Multiple(() =>
        {
            Assert.That(output, Is.Empty);
            Assert.That(s.Phase, Is.EqualTo(OperationPhase.ChangingLicenseMode));
        });
    }

    [Test]
    public void An_overdue_wait_fails_its_step_as_timed_out_but_only_for_the_current_wait()
    {
        var s = NewCluster();
        var register = UpToRegister(s);
        var current = s.WaitToken;

        var early = flow.OnTimedOut(s, current, Now.AddMinutes(1));
        var stale = flow.OnTimedOut(s, Guid.NewGuid(), Now.AddHours(1));
        var late = flow.OnTimedOut(s, current, Now.AddHours(1));

        Assert.Multiple(() =>
        {
            Assert.That(register, Is.Not.Empty);
            Assert.That(early, Is.Empty, "before the deadline");
            Assert.That(stale, Is.Empty, "another wait's timeout");
            Assert.That(Of<JobFailed>(late).Single(), Has.Property("FailedStep").EqualTo(ClusterOperationSteps.Registration)
                .And.Property("RecommendedAction").Contains("restart the job")
                .And.Property("IsRestartable").True);
        });
    }

    [Test]
    public void A_restart_resumes_at_the_failed_step_with_the_new_attempt()
    {
        var s = NewCluster();
        var register = UpToRegister(s);
        flow.OnAnswer(s, RegisteredAnswer(Session(register)) with { ResponseCode = ChpaResponseCode.FAIL, ResponseReason = ChpaResponseReason.chpaTimedOut }, Now);

        var output = flow.OnRestart(s, new JobRestartRequested { JobId = s.JobId!.Value, Attempt = 2, FromStep = ClusterOperationSteps.Registration }, Now);
        var again = flow.OnRestart(s, new JobRestartRequested { JobId = s.JobId!.Value, Attempt = 2, FromStep = ClusterOperationSteps.Registration }, Now);

        Assert.Multiple(() =>
        {
            Assert.That(Of<JobStepChanged>(output).Single(), Has.Property("Step").EqualTo(ClusterOperationSteps.Registration).And.Property("Attempt").EqualTo(2).And.Property("Status").EqualTo(JobStepStatus.Inprogress));
            Assert.That(Of<GetRegistrationTokenRequest>(output).Count(), Is.EqualTo(1));
            Assert.That(Of<VerifyClusterRequest>(output), Is.Empty, "Verification is not run again");
            Assert.That(s.Phase, Is.EqualTo(OperationPhase.FetchingToken));
            Assert.That(again, Is.Empty, "a redelivered restart");
        });
    }

    [Test]
    public void A_restart_of_a_job_another_job_has_followed_on_the_cluster_is_refused_as_a_failure_of_that_attempt()
    {
        var s = NewCluster();
        flow.Start(s, Assignment(), Now);
        var older = s.JobId!.Value;
        flow.OnAnswer(s, new RegistrationTokenRefused { SmartAccountDomain = Domain, VirtualAccountName = Va, Reason = RegistrationTokenRefusalReason.SatelliteSynced, Detail = "satellite" }, Now);
        flow.Start(s, Assignment() with { RequestId = "a-later-request" }, Now);

        var output = flow.OnRestart(s, new JobRestartRequested { JobId = older, Attempt = 2, FromStep = ClusterOperationSteps.Verification }, Now);

        var failed = Of<JobFailed>(output).Single();
        Assert.Multiple(() =>
        {
            Assert.That((failed.JobId, failed.Attempt, failed.IsRestartable), Is.EqualTo((older, 2, false)), "that attempt ends, for good");
            Assert.That(failed.ErrorDescription, Does.Contain("has run on"));
            Assert.That(s.JobId, Is.Not.EqualTo(older), "the later job is untouched");
            Assert.That(output, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public void A_job_can_be_canceled_before_Registration_but_not_during_it()
    {
        var before = NewCluster();
        flow.Start(before, Assignment(), Now);
        var canceled = flow.OnCancel(before, new JobCancelRequested { JobId = before.JobId!.Value, Attempt = 1 }, Now);

        var during = NewCluster();
        UpToRegister(during);
        var refused = flow.OnCancel(during, new JobCancelRequested { JobId = during.JobId!.Value, Attempt = 1 }, Now);

        Assert.Multiple(() =>
        {
            Assert.That(Of<JobCanceled>(canceled).Count(), Is.EqualTo(1));
            Assert.That(before.Phase, Is.EqualTo(OperationPhase.Idle));
            Assert.That(Of<JobCommandRejected>(refused).Single().Reason, Does.Contain("Registration has begun"));
            Assert.That(during.Phase, Is.EqualTo(OperationPhase.Registering));
        });
    }

    [Test]
    public void An_unassignment_deregisters_and_clears_the_VA()
    {
        var s = NewCluster();
        var started = flow.Start(s, StartOperation.From(new ClusterUnassignmentRequest { RequestId = "u-1", ClusterName = Cluster }), Now);
        var deregister = flow.OnAnswer(s, Verified(Session(started), UcLicenseMode.HCS, UcRegistrationState.Registered, Va), Now);

        var done = flow.OnAnswer(s, new DeregisterClusterResponse
        {
            ClusterName = Cluster, SessionId = Session(deregister), ResponseCode = ChpaResponseCode.PASS, ResponseReason = ChpaResponseReason.chpaNoError,
            RegistrationState = UcRegistrationState.Unregistered, Changed = true,
        }, Now);

        Assert.Multiple(() =>
        {
            Assert.That(Of<JobCreated>(started).Single().Steps, Is.EqualTo(new[] { ClusterOperationSteps.Verification, ClusterOperationSteps.Deregistration }));
            Assert.That(Of<JobSucceeded>(done).Count(), Is.EqualTo(1));
            Assert.That(s.VirtualAccountName, Is.Null);
            Assert.That(s.RegistrationState, Is.EqualTo(UcRegistrationState.Unregistered));
        });
    }

    [Test]
    public void A_reassignment_deregisters_from_the_old_VA_then_registers_with_a_token_of_the_new()
    {
        var s = NewCluster();
        flow.Start(s, StartOperation.From(new ClusterReassignmentRequest { RequestId = "r-1", ClusterName = Cluster, SmartAccountDomain = Domain, VirtualAccountName = "NEW-VA" }), Now);
        var verify = flow.OnAnswer(s, Token("NEW-VA"), Now);
        var deregister = flow.OnAnswer(s, Verified(Session(verify), UcLicenseMode.HCS, UcRegistrationState.Registered, "OLD-VA"), Now);
        var token = flow.OnAnswer(s, new DeregisterClusterResponse
        {
            ClusterName = Cluster, SessionId = Session(deregister), ResponseCode = ChpaResponseCode.PASS, ResponseReason = ChpaResponseReason.chpaNoError, Changed = true,
        }, Now);
        var register = flow.OnAnswer(s, Token("NEW-VA"), Now);
        var done = flow.OnAnswer(s, RegisteredAnswer(Session(register), "NEW-VA"), Now);

        Assert.Multiple(() =>
        {
            Assert.That(Of<DeregisterClusterRequest>(deregister).Count(), Is.EqualTo(1));
            Assert.That(Of<GetRegistrationTokenRequest>(token).Single().VirtualAccountName, Is.EqualTo("NEW-VA"));
            Assert.That(Of<RegisterClusterRequest>(register).Single().IdToken, Is.EqualTo("token-NEW-VA"));
            Assert.That(Of<JobSucceeded>(done).Count(), Is.EqualTo(1));
            Assert.That(s.VirtualAccountName, Is.EqualTo("NEW-VA"));
        });
    }

    [Test]
    public void A_batch_lane_goes_on_with_its_next_cluster_when_a_job_ends()
    {
        var s = NewCluster();
        flow.Start(s, Assignment() with { BatchRemaining = ["cl2", "cl3"], JobAnnounced = true }, Now);

        var output = flow.OnAnswer(s, new RegistrationTokenRefused { SmartAccountDomain = Domain, VirtualAccountName = Va, Reason = RegistrationTokenRefusalReason.SatelliteSynced, Detail = "satellite" }, Now);

        var next = Of<AssignClusterInBatch>(output).Single();
        Assert.Multiple(() =>
        {
            Assert.That(next.ClusterName, Is.EqualTo("cl2"));
            Assert.That(next.Remaining, Is.EqualTo(new[] { "cl3" }));
            Assert.That(output.Single(o => o.Message is AssignClusterInBatch).To, Is.EqualTo(Destination.Self));
        });
    }
}
