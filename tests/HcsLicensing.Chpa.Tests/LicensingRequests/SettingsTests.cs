using HcsLicensing.Chpa.Tests.Support;
using HcsLicensing.Contracts.Chpa;

namespace HcsLicensing.Chpa.Tests.LicensingRequests;

/// <summary>License mode and transport: read, change, and left alone when the target already holds (HLM's Not Applicable).</summary>
public class SettingsTests
{
    private SharedChpa _shared = null!;

    [OneTimeSetUp]
    public async Task Start() => _shared = await SharedChpa.GetAsync();

    [Test]
    public async Task Transport_settings_read_with_the_seeds_fields()
    {
        var cluster = await _shared.NewClusterAsync("transport-read", transport: new { mode = "Proxy", host = "proxy.esl.cisco.com", port = 8080 });

        var response = await _shared.Requester.AskAsync<GetTransportSettingsRequest, GetTransportSettingsResponse>(new() { ClusterName = cluster.Name, SessionId = "getTransport-4" });

        Assert.Multiple(() =>
        {
            Assert.That(response.ResponseCode, Is.EqualTo(ChpaResponseCode.PASS));
            Assert.That(response.ResponseReason, Is.EqualTo(ChpaResponseReason.chpaNoError));
            Assert.That(response.ClusterName, Is.EqualTo(cluster.Name));
            Assert.That(response.SessionId, Is.EqualTo("getTransport-4"));
            Assert.That(response.Mode, Is.EqualTo("HTTP/HTTPS Proxy"));
            Assert.That(response.Url, Is.Empty);
            Assert.That(response.IpAddress, Is.EqualTo("proxy.esl.cisco.com"));
            Assert.That(response.Port, Is.EqualTo(8080));
        });
    }

    [Test]
    public async Task Transport_settings_change_once_then_already_hold()
    {
        var cluster = await _shared.NewClusterAsync("transport-set");
        var gateway = new SetTransportSettingsRequest { ClusterName = cluster.Name, Mode = ChpaTransportModes.TransportGateway, Url = "https://tg.hcs.test/Transportgateway/services/DeviceRequestHandler" };

        var first = await _shared.Requester.AskAsync<SetTransportSettingsRequest, SetTransportSettingsResponse>(gateway);
        var second = await _shared.Requester.AskAsync<SetTransportSettingsRequest, SetTransportSettingsResponse>(gateway);
        var onPublisher = await _shared.Simulators.Uc.GetClusterAsync(cluster.Name);

        Assert.Multiple(() =>
        {
            Assert.That((first.ResponseCode, first.Changed, first.Mode, first.Url), Is.EqualTo((ChpaResponseCode.PASS, true, ChpaTransportModes.TransportGateway, gateway.Url)));
            Assert.That((second.ResponseCode, second.Changed), Is.EqualTo((ChpaResponseCode.PASS, false)), "already held: Not Applicable");
            Assert.That((onPublisher.Transport.Mode, onPublisher.Transport.Url), Is.EqualTo(("TransportGateway", gateway.Url)));
        });
    }

    [Test]
    public async Task A_proxy_without_a_host_is_refused_before_anything_is_sent()
    {
        var cluster = await _shared.NewClusterAsync("transport-bad");

        var response = await _shared.Requester.AskAsync<SetTransportSettingsRequest, SetTransportSettingsResponse>(
            new() { ClusterName = cluster.Name, Mode = ChpaTransportModes.Proxy, Port = 8080 });
        var onPublisher = await _shared.Simulators.Uc.GetClusterAsync(cluster.Name);

        Assert.Multiple(() =>
        {
            Assert.That(response.ResponseCode, Is.EqualTo(ChpaResponseCode.FAIL));
            Assert.That(response.ResponseReason, Is.EqualTo(ChpaResponseReason.chpaInvalidRequest));
            Assert.That(response.ResponseDescription, Does.Contain("ipAddress"));
            Assert.That(onPublisher.Transport.Mode, Is.EqualTo("Direct"), "the publisher was not touched");
        });
    }

    [Test]
    public async Task License_mode_changes_to_HCS_once_then_already_holds()
    {
        var cluster = await _shared.NewClusterAsync("mode");
        var toHcs = new ChangeLicenseModeRequest { ClusterName = cluster.Name, LicenseMode = UcLicenseMode.HCS };

        var first = await _shared.Requester.AskAsync<ChangeLicenseModeRequest, ChangeLicenseModeResponse>(toHcs);
        var second = await _shared.Requester.AskAsync<ChangeLicenseModeRequest, ChangeLicenseModeResponse>(toHcs);
        var onPublisher = await _shared.Simulators.Uc.GetClusterAsync(cluster.Name);

        Assert.Multiple(() =>
        {
            Assert.That((first.ResponseCode, first.Changed, first.PreviousLicenseMode, first.LicenseMode), Is.EqualTo((ChpaResponseCode.PASS, true, (UcLicenseMode?)UcLicenseMode.Enterprise, (UcLicenseMode?)UcLicenseMode.HCS)));
            Assert.That((second.ResponseCode, second.Changed), Is.EqualTo((ChpaResponseCode.PASS, false)));
            Assert.That(onPublisher.LicenseMode, Is.EqualTo("HCS"));
        });
    }
}
