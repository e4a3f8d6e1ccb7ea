using HcsLicensing.ClusterAssign.Operations;
using HcsLicensing.Contracts.Chpa;
using HcsLicensing.Contracts.ClusterAssignments;
using HcsLicensing.Contracts.Jobs;
using HcsLicensing.Contracts.SmartAccounts;

namespace HcsLicensing.ClusterAssign.Tests.Operations;

/// <summary>
/// A CHPA answer whose response code this build does not know (a number outside PASS/FAIL, as a newer or broken
/// sender could put on the wire) fails the step: only PASS passes.
/// </summary>
public class UnknownChpaResponseCodeTests
{
    private const string Cluster = "cl1-alfa";
    private const string Domain = "hcs-demo.example.com";
    private const string Va = "HCS-DEMO";
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 15, 51, 33, TimeSpan.Zero);
    private static readonly ChpaResponseCode Unknown = (ChpaResponseCode)7;

    private readonly ClusterOperationFlow flow = new(new ClusterAssignOptions());

    [Test]
    public void An_unknown_code_on_Verification_fails_it()
    {
        var (s, session) = StartedUpToVerification();

        var output = flow.OnAnswer(s, Verified(session) with { ResponseCode = Unknown }, Now);

        Assert.Multiple(() =>
        {
            Assert.That(output.Select(o => o.Message).OfType<JobFailed>().Count(), Is.EqualTo(1));
            Assert.That(output.Select(o => o.Message).OfType<ChangeLicenseModeRequest>(), Is.Empty, "no next step");
            Assert.That(s.LastJobStatus, Is.EqualTo(JobStatus.Failed));
        });
    }

    [Test]
    public void An_unknown_code_on_a_later_step_fails_it()
    {
        var (s, session) = StartedUpToVerification();
        var afterVerify = flow.OnAnswer(s, Verified(session), Now);
        var licenseSession = afterVerify.Select(o => o.Message).OfType<ChangeLicenseModeRequest>().Single().SessionId;

        var output = flow.OnAnswer(s, new ChangeLicenseModeResponse
        {
            ClusterName = Cluster, SessionId = licenseSession, ResponseCode = Unknown, ResponseReason = ChpaResponseReason.chpaNoError,
            LicenseMode = UcLicenseMode.HCS, Changed = true,
        }, Now);

        Assert.Multiple(() =>
        {
            Assert.That(output.Select(o => o.Message).OfType<JobFailed>().Count(), Is.EqualTo(1));
            Assert.That(output.Select(o => o.Message).OfType<GetRegistrationTokenRequest>(), Is.Empty, "Registration does not start");
        });
    }

    private (ClusterOperationState State, string Session) StartedUpToVerification()
    {
        var s = new ClusterOperationState { CorrelationId = ClusterKeys.ForCluster(Cluster) };
        flow.Start(s, StartOperation.From(new ClusterAssignmentRequest { RequestId = "req-u", ClusterName = Cluster, SmartAccountDomain = Domain, VirtualAccountName = Va }), Now);
        var verify = flow.OnAnswer(s, new RegistrationTokenIssued { SmartAccountDomain = Domain, VirtualAccountName = Va, Token = "token", ExpiresAt = Now.AddDays(30) }, Now);
        return (s, verify.Select(o => o.Message).OfType<VerifyClusterRequest>().Single().SessionId!);
    }

    private static VerifyClusterResponse Verified(string session) => new()
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
        LicenseMode = UcLicenseMode.Enterprise,
        TransportMode = ChpaTransportModes.Direct,
        RegistrationState = UcRegistrationState.Unregistered,
    };
}
