using HcsLicensing.ClusterAssign.Operations;
using HcsLicensing.ClusterAssign.Operations.Steps;
using HcsLicensing.Contracts.Chpa;
using HcsLicensing.Contracts.ClusterAssignments;
using HcsLicensing.Contracts.Jobs;
using HcsLicensing.Contracts.SmartAccounts;
using Microsoft.AspNetCore.DataProtection;

namespace HcsLicensing.ClusterAssign.Tests.Operations;

/// <summary>
/// The registration token Verification obtains is the one Registration uses: one token request per assignment, the
/// token encrypted in the saga's row meanwhile, and a new one asked for when it is gone (expired, job ended).
/// </summary>
public class KeptRegistrationTokenTests
{
    private const string Cluster = "cl1-alfa";
    private const string Domain = "hcs-demo.example.com";
    private const string Va = "HCS-DEMO";
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private readonly ClusterOperationFlow flow = new(new ClusterAssignOptions(), tokens: new RegistrationTokenSafe(new EphemeralDataProtectionProvider()));

    [Test]
    public void An_assignment_asks_SmartAccountSync_for_one_token_and_registers_with_it()
    {
        var s = NewCluster();
        var started = flow.Start(s, Assignment(), Now);
        var verify = flow.OnAnswer(s, Token("token-from-verification", Now.AddDays(30)), Now);
        var kept = s.ProtectedToken;

        var register = flow.OnAnswer(s, Verified(Session(verify)), Now);

        Assert.Multiple(() =>
        {
            Assert.That(Of<GetRegistrationTokenRequest>(started).Count(), Is.EqualTo(1), "Verification's check of the VA");
            Assert.That(kept, Is.Not.Null.And.Not.Contains("token-from-verification"), "kept encrypted, never as it is");
            Assert.That(Of<GetRegistrationTokenRequest>(register), Is.Empty, "Registration asks for none");
            Assert.That(Of<RegisterClusterRequest>(register).Single().IdToken, Is.EqualTo("token-from-verification"));
            Assert.That(Of<JobStepChanged>(register).Last(), Has.Property("Step").EqualTo(ClusterOperationSteps.Registration).And.Property("Status").EqualTo(JobStepStatus.Inprogress));
            Assert.That(s.ProtectedToken, Is.Null, "taken once");
        });
    }

    [Test]
    public void A_token_that_expires_before_Registration_is_not_used_and_a_new_one_is_asked_for()
    {
        var s = NewCluster();
        flow.Start(s, Assignment(), Now);
        // Within the safety margin of its expiry: as good as expired when Registration would hand it to CHPA.
        var verify = flow.OnAnswer(s, Token("token-about-to-expire", Now.AddMinutes(5)), Now);

        var registration = flow.OnAnswer(s, Verified(Session(verify)), Now);

        Assert.Multiple(() =>
        {
            Assert.That(Of<RegisterClusterRequest>(registration), Is.Empty);
            Assert.That(Of<GetRegistrationTokenRequest>(registration).Single().VirtualAccountName, Is.EqualTo(Va));
        });
    }

    [Test]
    public void A_job_that_ends_before_Registration_keeps_no_token_in_the_row()
    {
        var s = NewCluster();
        flow.Start(s, Assignment(), Now);
        var verify = flow.OnAnswer(s, Token("token-of-a-failed-job", Now.AddDays(30)), Now);

        var failed = flow.OnAnswer(s, Verified(Session(verify)) with { ResponseCode = ChpaResponseCode.FAIL, ResponseReason = ChpaResponseReason.chpaClusterUnreachable }, Now);

        Assert.Multiple(() =>
        {
            Assert.That(Of<JobFailed>(failed).Count(), Is.EqualTo(1));
            Assert.That(s.ProtectedToken, Is.Null);
        });
    }

    private static ClusterOperationState NewCluster() => new() { CorrelationId = ClusterKeys.ForCluster(Cluster) };

    private static StartOperation Assignment() =>
        StartOperation.From(new ClusterAssignmentRequest { RequestId = "req-1", ClusterName = Cluster, SmartAccountDomain = Domain, VirtualAccountName = Va });

    private static RegistrationTokenIssued Token(string token, DateTimeOffset expiresAt) =>
        new() { SmartAccountDomain = Domain, VirtualAccountName = Va, Token = token, ExpiresAt = expiresAt };

    // HCS license mode and Direct transport already: Registration follows Verification at once.
    private static VerifyClusterResponse Verified(string session) => new()
    {
        ClusterName = Cluster,
        SessionId = session,
        ResponseCode = ChpaResponseCode.PASS,
        ResponseReason = ChpaResponseReason.chpaNoError,
        ApplicationType = UcApplicationType.CUCM,
        Version = "15.0",
        LicenseMode = UcLicenseMode.HCS,
        TransportMode = ChpaTransportModes.Direct,
        RegistrationState = UcRegistrationState.Unregistered,
    };

    private static IEnumerable<T> Of<T>(IEnumerable<Outgoing> output) => output.Select(o => o.Message).OfType<T>();

    private static string Session(IEnumerable<Outgoing> output) => Of<VerifyClusterRequest>(output).Single().SessionId!;
}
