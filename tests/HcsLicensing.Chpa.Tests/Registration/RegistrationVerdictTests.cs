using HcsLicensing.Chpa.Data;
using HcsLicensing.Chpa.Registration;
using HcsLicensing.Chpa.UcApplications;
using HcsLicensing.Contracts.Chpa;

namespace HcsLicensing.Chpa.Tests.Registration;

/// <summary>What one poll of a waiting registration decides from one status read (no servers needed).</summary>
public class RegistrationVerdictTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public void Registered_passes_with_where_the_cluster_now_is()
    {
        var verdict = RegistrationVerdict.Decide(Wait(), UcResult.Ok(Status(UcRegistrationState.Registered)), Now);

        Assert.That(verdict.Answer, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That((verdict.Answer!.ResponseCode, verdict.Answer.ResponseReason, verdict.Answer.Changed), Is.EqualTo((ChpaResponseCode.PASS, ChpaResponseReason.chpaNoError, true)));
            Assert.That((verdict.Answer.SessionId, verdict.Answer.VirtualAccount), Is.EqualTo(("register-7", "HCS-CUST-0002")));
        });
    }

    [TestCase("invalid_token: The ID token expired", ChpaResponseReason.chpaTokenRejected)]
    [TestCase("cssm_unreachable: Connection refused", ChpaResponseReason.chpaRegistrationFailed)]
    public void Failed_names_the_token_or_another_cause(string failureReason, ChpaResponseReason expected)
    {
        var verdict = RegistrationVerdict.Decide(Wait(), UcResult.Ok(Status(UcRegistrationState.Failed) with { FailureReason = failureReason }), Now);

        Assert.That((verdict.Answer?.ResponseCode, verdict.Answer?.ResponseReason, verdict.Answer?.ResponseDescription), Is.EqualTo((ChpaResponseCode.FAIL, expected, failureReason)));
    }

    [Test]
    public void Unregistered_after_a_register_of_unknown_outcome_fails_with_the_registers_own_cause()
    {
        var unknown = RegistrationVerdict.Decide(Wait(outcomeUnknown: true), UcResult.Ok(Status(UcRegistrationState.Unregistered)), Now);
        var known = RegistrationVerdict.Decide(Wait(), UcResult.Ok(Status(UcRegistrationState.Unregistered)), Now);

        Assert.Multiple(() =>
        {
            Assert.That(unknown.Answer?.ResponseReason, Is.EqualTo(ChpaResponseReason.chpaTimedOut), "the register itself timed out and never arrived");
            Assert.That(known.Answer?.ResponseReason, Is.EqualTo(ChpaResponseReason.chpaRegistrationFailed), "accepted, yet it did not take");
        });
    }

    [TestCase(UcFailure.Restarting)]
    [TestCase(UcFailure.Unreachable)]
    [TestCase(UcFailure.TimedOut)]
    public void A_publisher_still_away_is_waited_for_until_the_deadline(UcFailure away)
    {
        var before = RegistrationVerdict.Decide(Wait(), UcResult.Fail<UcLicensingStatus>(away, "away"), Now);
        var after = RegistrationVerdict.Decide(Wait(), UcResult.Fail<UcLicensingStatus>(away, "away"), Now.AddMinutes(11));

        Assert.Multiple(() =>
        {
            Assert.That(before.Answer, Is.Null, "keep polling");
            Assert.That(before.Seen, Is.EqualTo(away.ToString()));
            Assert.That((after.Answer?.ResponseCode, after.Answer?.ResponseReason), Is.EqualTo((ChpaResponseCode.FAIL, ChpaResponseReason.chpaTimedOut)));
            Assert.That(after.Answer?.ResponseDescription, Does.EndWith($"last seen: {away}"));
        });
    }

    [Test]
    public void Refused_credentials_end_the_wait_at_once()
    {
        var verdict = RegistrationVerdict.Decide(Wait(), UcResult.Fail<UcLicensingStatus>(UcFailure.CredentialsRefused, "401"), Now);

        Assert.That(verdict.Answer?.ResponseReason, Is.EqualTo(ChpaResponseReason.chpaCredentialsRefused));
    }

    private static RegistrationWait Wait(bool outcomeUnknown = false) => new()
    {
        Id = Guid.NewGuid(),
        ClusterName = "cl1-alfa",
        SessionId = "register-7",
        OutcomeUnknown = outcomeUnknown,
        UnknownCause = outcomeUnknown ? nameof(ChpaResponseReason.chpaTimedOut) : null,
        StartedAt = Now.AddMinutes(-1),
        Deadline = Now.AddMinutes(9),
    };

    private static UcLicensingStatus Status(UcRegistrationState state) => new()
    {
        ClusterName = "cl1-alfa",
        Version = "12.5.1.11900-146",
        LicenseMode = UcLicenseMode.HCS,
        Transport = new UcTransport(ChpaTransportModes.Direct),
        RegistrationState = state,
        AuthorizationState = state == UcRegistrationState.Registered ? UcAuthorizationState.Authorized : UcAuthorizationState.Eval,
        SmartAccountDomain = state == UcRegistrationState.Registered ? "hcs-demo.example.com" : null,
        VirtualAccount = state == UcRegistrationState.Registered ? "HCS-CUST-0002" : null,
    };
}
