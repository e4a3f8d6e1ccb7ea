using System.Diagnostics;
using HcsLicensing.Chpa.Tests.Support;
using HcsLicensing.Contracts.Chpa;
using HcsLicensing.TestBed;

namespace HcsLicensing.Chpa.Tests.Registration;

/// <summary>A registration waits for its publisher without holding CHPA: the same instance keeps answering meanwhile.</summary>
public class RegistrationConcurrencyTests
{
    [Test]
    public async Task A_registration_whose_restart_takes_20_s_completes_while_the_same_CHPA_answers_100_other_requests()
    {
        var shared = await SharedChpa.GetAsync();
        var registering = await shared.NewClusterAsync("reg-20s", knobs: new { restartSeconds = 20 });
        var others = new List<ClusterSpec>();
        for (var i = 0; i < 10; i++)
        {
            others.Add(await shared.NewClusterAsync($"busy{i}"));
        }

        var token = await shared.Simulators.Cssm.CreateIdTokenAsync("HCS-CUST-0003");
        var clock = Stopwatch.StartNew();
        var registration = shared.Requester.AskAsync<RegisterClusterRequest, RegisterClusterResponse>(
            new() { ClusterName = registering.Name, IdToken = token }, TimeSpan.FromSeconds(120)); // 20 s of restart; the rest is slack for a loaded machine
        await Eventually.Poll(() => shared.Simulators.Uc.GetClusterAsync(registering.Name), c => c.Restarting, TimeSpan.FromSeconds(10));

        var answers = await Task.WhenAll(Enumerable.Range(0, 100).Select(async i =>
        {
            var cluster = others[i % others.Count].Name;
            var (code, reason) = i % 2 == 0
                ? await ChpaOperationsAsk.Verify(shared.Requester, cluster)
                : await ChpaOperationsAsk.GetTransport(shared.Requester, cluster);
            return (code, reason, at: clock.Elapsed);
        }));
        var othersDoneAt = answers.Max(a => a.at);
        var stillRestarting = (await shared.Simulators.Uc.GetClusterAsync(registering.Name)).Restarting;

        var registered = await registration;
        var registeredAt = clock.Elapsed;

        Assert.Multiple(() =>
        {
            Assert.That(answers.Select(a => (a.code, a.reason)), Is.All.EqualTo((ChpaResponseCode.PASS, ChpaResponseReason.chpaNoError)), "all 100 answered PASS");
            Assert.That(stillRestarting, Is.True, $"the 100 answers ({othersDoneAt.TotalSeconds:0.0} s) came while the publisher was still restarting");
            Assert.That(othersDoneAt, Is.LessThan(registeredAt));
            Assert.That(registered.ResponseCode, Is.EqualTo(ChpaResponseCode.PASS));
            Assert.That(registeredAt, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(20)), "the registration waited for the 20 s restart");
        });
    }
}

/// <summary>Shortcuts to the operations the concurrency test mixes.</summary>
internal static class ChpaOperationsAsk
{
    public static Task<(ChpaResponseCode Code, ChpaResponseReason Reason)> Verify(Requester requester, string cluster) =>
        LicensingRequests.ChpaOperation.Verify.Ask(requester, cluster);

    public static Task<(ChpaResponseCode Code, ChpaResponseReason Reason)> GetTransport(Requester requester, string cluster) =>
        LicensingRequests.ChpaOperation.GetTransport.Ask(requester, cluster);
}
