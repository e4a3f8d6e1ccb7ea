using System.Diagnostics;
using HcsLicensing.Chpa.Tests.Support;
using HcsLicensing.Contracts.Chpa;
using HcsLicensing.TestBed;

namespace HcsLicensing.Chpa.Tests.LicensingRequests;

/// <summary>
/// A publisher off the network for a moment (a restart, a blip) is waited out within UcApplications:UnreachableWaitFor
/// (5 s here): the request is tried again later, durably, and answered PASS once the publisher is back; one that stays
/// away is answered chpaClusterUnreachable when the wait is spent.
/// </summary>
public class UnreachablePublisherTests
{
    private TestServers _servers = null!;
    private Simulators _simulators = null!;
    private ChpaInstance _chpa = null!;
    private Requester _requester = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _servers = await SharedTestServers.GetAsync();
        _simulators = await Simulators.GetAsync();
        _chpa = await ChpaInstance.StartAsync(_servers, _simulators, await _servers.Postgres.CreateDatabaseAsync("chpa"), ChpaInstance.NewPrefix(),
            new Dictionary<string, string?> { ["UcApplications:UnreachableWaitFor"] = "00:00:05" });
        _requester = await Requester.StartAsync(_servers, _chpa.ChpaQueue);
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await _requester.DisposeAsync();
        await _chpa.DisposeAsync();
    }

    [Test]
    public async Task A_publisher_back_within_the_wait_is_verified_and_the_request_passes()
    {
        var cluster = ClusterSpec.New("blip");
        await _simulators.Uc.PutClusterAsync(cluster, knobs: new { unreachable = true });
        await _chpa.AddClusterAsync(cluster);
        var clock = Stopwatch.StartNew();

        var asked = _requester.AskAsync<VerifyClusterRequest, VerifyClusterResponse>(new() { ClusterName = cluster.Name, SessionId = "blip-1" });
        await Eventually.Poll(() => Task.FromResult(_chpa.Logs.Lines.Any(l => l.Contains(cluster.Name, StringComparison.Ordinal) && l.Contains("trying again", StringComparison.Ordinal))),
            seen => seen, TimeSpan.FromSeconds(20));
        await _simulators.Uc.PutClusterAsync(cluster); // back on the network
        var response = await asked;

        Assert.Multiple(() =>
        {
            Assert.That((response.ResponseCode, response.ResponseReason), Is.EqualTo((ChpaResponseCode.PASS, ChpaResponseReason.chpaNoError)), response.ResponseDescription);
            Assert.That(response.SessionId, Is.EqualTo("blip-1"), "the later try answers the original request");
            Assert.That(clock.Elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(2)), "answered after the first pause, not at once");
        });
    }

    [Test]
    public async Task A_publisher_that_stays_away_is_answered_unreachable_when_the_wait_is_spent()
    {
        var cluster = ClusterSpec.New("gone");
        await _simulators.Uc.PutClusterAsync(cluster, knobs: new { unreachable = true });
        await _chpa.AddClusterAsync(cluster);
        var clock = Stopwatch.StartNew();

        var response = await _requester.AskAsync<ChangeLicenseModeRequest, ChangeLicenseModeResponse>(new() { ClusterName = cluster.Name, LicenseMode = UcLicenseMode.HCS });

        Assert.Multiple(() =>
        {
            Assert.That((response.ResponseCode, response.ResponseReason), Is.EqualTo((ChpaResponseCode.FAIL, ChpaResponseReason.chpaClusterUnreachable)));
            Assert.That(clock.Elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(2)), "tried again before giving up");
            Assert.That(_chpa.Logs.Lines.Count(l => l.Contains(cluster.Name, StringComparison.Ordinal) && l.Contains("trying again", StringComparison.Ordinal)), Is.EqualTo(1),
                "one pause (2 s) fits in 5 s; the next (4 s) would not");
        });
    }

    [Test]
    public async Task A_registration_whose_publisher_was_away_registers_once_it_is_back()
    {
        var cluster = ClusterSpec.New("reg-blip");
        await _simulators.Uc.PutClusterAsync(cluster, knobs: new { unreachable = true }, licenseMode: "HCS");
        await _chpa.AddClusterAsync(cluster);
        var token = await _simulators.Cssm.CreateIdTokenAsync("HCS-CUST-0002");

        var asked = _requester.AskAsync<RegisterClusterRequest, RegisterClusterResponse>(new() { ClusterName = cluster.Name, IdToken = token }, TimeSpan.FromSeconds(60));
        await Eventually.Poll(() => Task.FromResult(_chpa.Logs.Lines.Any(l => l.Contains(cluster.Name, StringComparison.Ordinal) && l.Contains("trying again", StringComparison.Ordinal))),
            seen => seen, TimeSpan.FromSeconds(20));
        await _simulators.Uc.PutClusterAsync(cluster, licenseMode: "HCS");
        var response = await asked;
        var onPublisher = await _simulators.Uc.GetClusterAsync(cluster.Name);

        Assert.Multiple(() =>
        {
            Assert.That((response.ResponseCode, response.ResponseReason), Is.EqualTo((ChpaResponseCode.PASS, ChpaResponseReason.chpaNoError)), response.ResponseDescription);
            Assert.That(response.RegistrationState, Is.EqualTo(UcRegistrationState.Registered));
            Assert.That(onPublisher.RegisterRequests, Is.EqualTo(1), "registered once");
        });
    }
}
