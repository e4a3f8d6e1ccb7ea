using HcsLicensing.ClusterAssign.Operations;
using HcsLicensing.Contracts.Chpa;
using HcsLicensing.Contracts.ClusterAssignments;
using HcsLicensing.Contracts.Jobs;
using HcsLicensing.Contracts.SmartAccounts;

namespace HcsLicensing.ClusterAssign.Tests.Operations;

/// <summary>What JobTracker receives from one transition of the flow: one job event, whatever the transition changed.</summary>
public class OneJobEventPerTransitionTests
{
    private const string Cluster = "cl1-alfa";
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 15, 51, 33, TimeSpan.Zero);
    private readonly ClusterOperationFlow flow = new(new ClusterAssignOptions());

    [Test]
    public void A_job_start_is_one_message_with_the_job_and_its_first_step_and_the_request_goes_as_before()
    {
        var s = new ClusterOperationState { CorrelationId = ClusterKeys.ForCluster(Cluster) };

        var output = OneJobEventPerTransition.Combine(flow.Start(s, Assign(), Now));

        var progressed = output.Select(o => o.Message).OfType<JobProgressed>().Single();
        Assert.Multiple(() =>
        {
            Assert.That(output.Select(o => o.Message.GetType()), Is.EqualTo(new[] { typeof(JobProgressed), typeof(GetRegistrationTokenRequest) }));
            Assert.That(progressed.JobId, Is.EqualTo(ClusterKeys.ForJob("req-1", Cluster)));
            Assert.That(progressed.Created?.EntityName, Is.EqualTo(Cluster));
            Assert.That(progressed.Steps.Select(c => (c.Step, c.Status)), Is.EqualTo(new[] { (ClusterOperationSteps.Verification, JobStepStatus.Inprogress) }));
        });
    }

    [Test]
    public void A_cluster_already_in_the_VA_ends_its_job_in_one_message_with_every_step_in_order()
    {
        var s = new ClusterOperationState { CorrelationId = ClusterKeys.ForCluster(Cluster) };
        flow.Start(s, Assign(), Now);
        var verify = flow.OnAnswer(s, new RegistrationTokenIssued { SmartAccountDomain = "hcs-demo.example.com", VirtualAccountName = "HCS-DEMO", Token = "t", ExpiresAt = Now.AddDays(1) }, Now);
        var session = verify.Select(o => o.Message).OfType<VerifyClusterRequest>().Single().SessionId;

        var output = OneJobEventPerTransition.Combine(flow.OnAnswer(s, new VerifyClusterResponse
        {
            ClusterName = Cluster, SessionId = session, ResponseCode = ChpaResponseCode.PASS, ResponseReason = ChpaResponseReason.chpaNoError,
            ApplicationType = UcApplicationType.CUCM, Version = "15.0", LicenseMode = UcLicenseMode.HCS, TransportMode = ChpaTransportModes.Direct,
            RegistrationState = UcRegistrationState.Registered, SmartAccountDomain = "hcs-demo.example.com", VirtualAccount = "HCS-DEMO",
        }, Now));

        var progressed = output.Select(o => o.Message).OfType<JobProgressed>().Single();
        Assert.Multiple(() =>
        {
            Assert.That(output.Select(o => o.Message).OfType<JobStepChanged>(), Is.Empty, "no step event of its own");
            Assert.That(output.Select(o => o.Message).OfType<JobSucceeded>(), Is.Empty, "no end event of its own");
            Assert.That(progressed.Steps.Select(c => (c.Step, c.Status)), Is.EqualTo(new[]
            {
                (ClusterOperationSteps.Verification, JobStepStatus.Pass),
                (ClusterOperationSteps.LicenseModeChange, JobStepStatus.NotApplicable),
                (ClusterOperationSteps.TransportModeChange, JobStepStatus.NotApplicable),
                (ClusterOperationSteps.Registration, JobStepStatus.NotApplicable),
            }));
            Assert.That(progressed.Succeeded?.Description, Does.StartWith("Assignment of Cluster cl1-alfa to HCS-DEMO completed"));
            Assert.That(output.Select(o => o.Message).OfType<ClusterOperationCompleted>().Count(), Is.EqualTo(1), "other services' event unchanged");
            Assert.That(output.Select(o => o.Message).OfType<Reply>().Count(), Is.EqualTo(1), "the requester's answer unchanged");
        });
    }

    [Test]
    public void A_single_job_event_goes_as_it_is()
    {
        var failed = new JobFailed { JobId = Guid.NewGuid(), FailedAt = Now, ErrorDescription = "refused", RecommendedAction = "fix it" };
        IReadOnlyList<Outgoing> output = [new(Destination.Publish, failed), new(Destination.Chpa, new VerifyClusterRequest { ClusterName = Cluster })];

        Assert.That(OneJobEventPerTransition.Combine(output), Is.SameAs(output));
    }

    private static StartOperation Assign() => StartOperation.From(new ClusterAssignmentRequest
    {
        RequestId = "req-1", ClusterName = Cluster, SmartAccountDomain = "hcs-demo.example.com", VirtualAccountName = "HCS-DEMO",
    });
}
