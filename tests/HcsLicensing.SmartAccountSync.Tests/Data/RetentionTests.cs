using HcsLicensing.ServiceDefaults.Retention;
using HcsLicensing.SmartAccountSync.Data;
using HcsLicensing.SmartAccountSync.SmartAccounts;
using HcsLicensing.SmartAccountSync.Sync;
using HcsLicensing.SmartAccountSync.Tokens;
using HcsLicensing.TestBed;
using HcsLicensing.TestBed.Retention;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace HcsLicensing.SmartAccountSync.Tests.Data;

/// <summary>
/// SmartAccountSyncRetention on the service's migrated database: sync runs go 30 days after they finished but never an
/// account's newest nor a running one; registration tokens go once expired.
/// </summary>
public class RetentionTests
{
    private static readonly DateTimeOffset Start = new(2026, 4, 1, 6, 0, 0, TimeSpan.Zero);

    private string _database = null!;
    private FakeTimeProvider _clock = null!;
    private ServiceProvider _services = null!;

    [SetUp]
    public async Task CreateDatabase()
    {
        _database = await RetentionOnDatabase.CreateMigratedDatabaseAsync<SmartAccountSyncDbContext>(
            await SharedTestServers.GetAsync(), "sasret", options => new SmartAccountSyncDbContext(options));
        _clock = new FakeTimeProvider(Start);
        _services = RetentionOnDatabase.Services<SmartAccountSyncDbContext>(_database, _clock, SmartAccountSyncRetention.Rules);
    }

    [TearDown]
    public ValueTask DisposeServices() => _services.DisposeAsync();

    [Test]
    public async Task Sync_runs_go_30_days_after_they_finished_except_each_accounts_newest_and_a_running_one()
    {
        var busy = await AddAccountAsync("busy.example.com");
        var quiet = await AddAccountAsync("quiet.example.com");
        var busyOld = await AddRunAsync(busy, SyncRun.Succeeded);
        var busyFailed = await AddRunAsync(busy, SyncRun.Failed);
        var quietOnly = await AddRunAsync(quiet, SyncRun.Failed);
        var busyStuck = await AddRunAsync(busy, SyncRun.Running); // its instance died; the coordinator takes it over, not retention
        _clock.Advance(TimeSpan.FromDays(10));
        var busyNewest = await AddRunAsync(busy, SyncRun.Succeeded);

        _clock.Advance(TimeSpan.FromDays(19)); // the first runs finished 29 days ago
        await PruneAsync();
        var before = await RunIdsAsync();
        _clock.Advance(TimeSpan.FromDays(2));
        var pass = await PruneAsync();
        var after = await RunIdsAsync();

        Assert.Multiple(() =>
        {
            Assert.That(before, Is.EquivalentTo(new[] { busyOld, busyFailed, quietOnly, busyStuck, busyNewest }));
            Assert.That(after, Is.EquivalentTo(new[] { quietOnly, busyStuck, busyNewest }),
                "the quiet account's only run is its newest; a running run is the account's sync lock");
            Assert.That(pass.Single(r => r.Rule == "SyncRuns").Deleted, Is.EqualTo(2));
        });
    }

    [Test]
    public async Task A_registration_token_goes_once_it_expired_and_one_still_valid_stays()
    {
        var account = await AddAccountAsync("tokens.example.com");
        await using (var db = Open())
        {
            db.RegistrationTokens.AddRange(
                Token(account, "expiring", _clock.GetUtcNow().AddDays(10)),
                Token(account, "valid", _clock.GetUtcNow().AddDays(30)));
            await db.SaveChangesAsync();
        }

        _clock.Advance(TimeSpan.FromDays(10) - TimeSpan.FromMinutes(5));
        await PruneAsync();
        var beforeExpiry = await TokensAsync();
        _clock.Advance(TimeSpan.FromMinutes(10));
        await PruneAsync();
        var afterExpiry = await TokensAsync();

        Assert.Multiple(() =>
        {
            Assert.That(beforeExpiry, Is.EquivalentTo(ExpiringAndValid));
            Assert.That(afterExpiry, Is.EquivalentTo(ValidOnly));
        });
    }

    private static readonly string[] ExpiringAndValid = ["expiring", "valid"];
    private static readonly string[] ValidOnly = ["valid"];

    private Task<IReadOnlyList<RetentionResult>> PruneAsync() =>
        _services.GetRequiredService<RetentionPruner<SmartAccountSyncDbContext>>().PruneAsync(CancellationToken.None);

    private async Task<Guid> AddAccountAsync(string domain)
    {
        var account = new SmartAccount { Id = Guid.NewGuid(), Domain = domain, Name = domain, ClientId = "client", ProtectedClientSecret = "-", ConfiguredAt = _clock.GetUtcNow() };
        await using var db = Open();
        db.SmartAccounts.Add(account);
        await db.SaveChangesAsync();
        return account.Id;
    }

    /// <summary>A run that started a minute ago and (unless Running) finished now.</summary>
    private async Task<Guid> AddRunAsync(Guid account, string status)
    {
        var now = _clock.GetUtcNow();
        var run = new SyncRun
        {
            JobId = Guid.NewGuid(),
            SmartAccountId = account,
            Trigger = "Periodic",
            Status = status,
            StartedAt = now - TimeSpan.FromMinutes(1),
            HeartbeatAt = now,
            FinishedAt = status == SyncRun.Running ? null : now,
        };
        await using var db = Open();
        db.SyncRuns.Add(run);
        await db.SaveChangesAsync();
        _clock.Advance(TimeSpan.FromSeconds(1)); // runs of one account start one after the other
        return run.JobId;
    }

    private static RegistrationToken Token(Guid account, string name, DateTimeOffset expires) =>
        new() { Token = name, SmartAccountId = account, VirtualAccountName = "HCS-RETENTION", ExpiresAt = expires, ObtainedAt = expires.AddDays(-30) };

    private async Task<List<Guid>> RunIdsAsync()
    {
        await using var db = Open();
        return await db.SyncRuns.Select(r => r.JobId).ToListAsync();
    }

    private async Task<List<string>> TokensAsync()
    {
        await using var db = Open();
        return await db.RegistrationTokens.Select(t => t.Token).ToListAsync();
    }

    private SmartAccountSyncDbContext Open() => new(new DbContextOptionsBuilder<SmartAccountSyncDbContext>().UseNpgsql(_database).Options);
}
