using HcsLicensing.Chpa.Tests.Support;
using HcsLicensing.Contracts.Chpa;
using HcsLicensing.TestBed;
using Npgsql;

namespace HcsLicensing.Chpa.Tests.Registration;

/// <summary>
/// CHPAs of their own (own database and queues): stopped and started while a registration waits, or with a deadline
/// shorter than the publisher's restart.
/// </summary>
public class RestartDuringRegistrationTests
{
    private readonly List<IAsyncDisposable> _started = [];

    [TearDown]
    public async Task Stop()
    {
        foreach (var started in Enumerable.Reverse(_started))
        {
            await started.DisposeAsync();
        }

        _started.Clear();
    }

    [Test]
    public async Task A_CHPA_stopped_and_started_during_a_registration_wait_still_answers_the_requester()
    {
        var servers = await SharedTestServers.GetAsync();
        var simulators = await Simulators.GetAsync();
        var database = await servers.Postgres.CreateDatabaseAsync("chpa");
        var prefix = ChpaInstance.NewPrefix();
        var first = await ChpaInstance.StartAsync(servers, simulators, database, prefix);
        var requester = await Requester.StartAsync(servers, first.ChpaQueue);
        _started.Add(requester);
        var cluster = ClusterSpec.New("reg-restart");
        await simulators.Uc.PutClusterAsync(cluster, knobs: new { restartSeconds = 15 });
        await first.AddClusterAsync(cluster);
        var token = await simulators.Cssm.CreateIdTokenAsync("HCS-CUST-0001");

        var registration = requester.AskAsync<RegisterClusterRequest, RegisterClusterResponse>(new() { ClusterName = cluster.Name, IdToken = token }, TimeSpan.FromSeconds(90));
        var waiting = await Eventually.Poll(() => CountWaitsAsync(database), n => n == 1, TimeSpan.FromSeconds(15));
        Assert.That(waiting, Is.EqualTo(1), "the first CHPA sent the register and keeps the wait in its database");
        await first.DisposeAsync();
        var stoppedWhileRestarting = (await simulators.Uc.GetClusterAsync(cluster.Name)).Restarting;

        var second = await ChpaInstance.StartAsync(servers, simulators, database, prefix);
        _started.Add(second);
        var response = await registration;
        var onPublisher = await simulators.Uc.GetClusterAsync(cluster.Name);
        // The answer leaves before the wait's deletion commits (answer at least once): give the commit its moment.
        var waitsLeft = await Eventually.Poll(() => CountWaitsAsync(database), n => n == 0, TimeSpan.FromSeconds(10));

        Assert.Multiple(() =>
        {
            Assert.That(stoppedWhileRestarting, Is.True, "the first CHPA was gone before the registration finished");
            Assert.That(response.ResponseCode, Is.EqualTo(ChpaResponseCode.PASS));
            Assert.That(response.VirtualAccount, Is.EqualTo("HCS-CUST-0001"));
            Assert.That(onPublisher.RegisterRequests, Is.EqualTo(1), "the second CHPA polled; it did not register again");
            Assert.That(waitsLeft, Is.Zero, "the answered wait is gone");
        });
    }

    [Test]
    public async Task A_registration_still_restarting_at_the_deadline_fails_as_timed_out()
    {
        var servers = await SharedTestServers.GetAsync();
        var simulators = await Simulators.GetAsync();
        var database = await servers.Postgres.CreateDatabaseAsync("chpa");
        var chpa = await ChpaInstance.StartAsync(servers, simulators, database, ChpaInstance.NewPrefix(), new Dictionary<string, string?> { ["Registration:Deadline"] = "00:00:03" });
        _started.Add(chpa);
        var requester = await Requester.StartAsync(servers, chpa.ChpaQueue);
        _started.Add(requester);
        var cluster = ClusterSpec.New("reg-deadline");
        await simulators.Uc.PutClusterAsync(cluster, knobs: new { restartSeconds = 30 });
        await chpa.AddClusterAsync(cluster);

        var response = await requester.AskAsync<RegisterClusterRequest, RegisterClusterResponse>(
            new() { ClusterName = cluster.Name, IdToken = await simulators.Cssm.CreateIdTokenAsync("HCS-CUST-0001") }, TimeSpan.FromSeconds(30));
        var waitsLeft = await Eventually.Poll(() => CountWaitsAsync(database), n => n == 0, TimeSpan.FromSeconds(10));

        Assert.Multiple(() =>
        {
            Assert.That(response.ResponseCode, Is.EqualTo(ChpaResponseCode.FAIL));
            Assert.That(response.ResponseReason, Is.EqualTo(ChpaResponseReason.chpaTimedOut));
            Assert.That(response.ResponseDescription, Does.Contain("last seen: Restarting"));
            Assert.That(waitsLeft, Is.Zero, "the answered wait is gone");
        });
    }

    private static async Task<long> CountWaitsAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM registration_waits", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
