using HcsLicensing.Chpa.Tests.Support;
using HcsLicensing.Contracts.Chpa;

namespace HcsLicensing.Chpa.Tests.LicensingRequests;

/// <summary>HLM's Verification step through CHPA: reachable, both credentials accepted, 12.5 or later, the state now.</summary>
public class VerifyClusterTests
{
    private SharedChpa _shared = null!;

    [OneTimeSetUp]
    public async Task Start() => _shared = await SharedChpa.GetAsync();

    [Test]
    public async Task A_reachable_12_5_cluster_passes_with_its_licensing_state()
    {
        var cluster = await _shared.NewClusterAsync("verify-ok");

        var response = await _shared.Requester.AskAsync<VerifyClusterRequest, VerifyClusterResponse>(new() { ClusterName = cluster.Name, SessionId = "verify-4" });
        var inventory = await _shared.Chpa.Http.GetStringAsync(new Uri($"/clusters/{cluster.Name}", UriKind.Relative));

        Assert.Multiple(() =>
        {
            Assert.That(response.ResponseCode, Is.EqualTo(ChpaResponseCode.PASS));
            Assert.That(response.ResponseReason, Is.EqualTo(ChpaResponseReason.chpaNoError));
            Assert.That(response.SessionId, Is.EqualTo("verify-4"), "the session id is echoed");
            Assert.That(response.Reachable && response.CredentialsAccepted && response.VersionSupported, Is.True);
            Assert.That(response.ApplicationType, Is.EqualTo(UcApplicationType.CUCM));
            Assert.That(response.Version, Is.EqualTo(cluster.Version));
            Assert.That(response.LicenseMode, Is.EqualTo(UcLicenseMode.Enterprise));
            Assert.That(response.TransportMode, Is.EqualTo(ChpaTransportModes.Direct));
            Assert.That(response.RegistrationState, Is.EqualTo(UcRegistrationState.Unregistered));
            Assert.That(response.AuthorizationState, Is.EqualTo(UcAuthorizationState.Eval));
            Assert.That(inventory, Does.Contain("\"registrationState\":\"Unregistered\""), "the inventory keeps what the publisher said");
        });
    }

    [Test]
    public async Task A_cluster_older_than_12_5_fails_as_version_unsupported_with_its_state_still_reported()
    {
        var cluster = await _shared.NewClusterAsync("verify-old", version: "11.5.1.18900-97");

        var response = await _shared.Requester.AskAsync<VerifyClusterRequest, VerifyClusterResponse>(new() { ClusterName = cluster.Name });

        Assert.Multiple(() =>
        {
            Assert.That(response.ResponseCode, Is.EqualTo(ChpaResponseCode.FAIL));
            Assert.That(response.ResponseReason, Is.EqualTo(ChpaResponseReason.chpaVersionUnsupported));
            Assert.That(response.Reachable && response.CredentialsAccepted, Is.True);
            Assert.That(response.VersionSupported, Is.False);
            Assert.That(response.Version, Is.EqualTo("11.5.1.18900-97"));
            Assert.That(response.RegistrationState, Is.EqualTo(UcRegistrationState.Unregistered));
        });
    }

    [Test]
    public async Task Wrong_platform_credentials_fail_as_refused_though_the_publisher_answered()
    {
        var cluster = ClusterSpec.New("verify-platform");
        await _shared.Simulators.Uc.PutClusterAsync(cluster);
        await _shared.Chpa.AddClusterAsync(cluster with { PlatformPassword = "not-the-platform-password" });

        var response = await _shared.Requester.AskAsync<VerifyClusterRequest, VerifyClusterResponse>(new() { ClusterName = cluster.Name });

        Assert.Multiple(() =>
        {
            Assert.That(response.ResponseCode, Is.EqualTo(ChpaResponseCode.FAIL));
            Assert.That(response.ResponseReason, Is.EqualTo(ChpaResponseReason.chpaCredentialsRefused));
            Assert.That(response.Reachable, Is.True);
            Assert.That(response.CredentialsAccepted, Is.False);
        });
    }
}
