using HcsLicensing.SmartAccountSync.Data;
using HcsLicensing.SmartAccountSync.Licenses;
using HcsLicensing.SmartAccountSync.SmartAccounts;
using HcsLicensing.TestBed;
using HcsLicensing.TestBed.Retention;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace HcsLicensing.SmartAccountSync.Tests.Licenses;

/// <summary>
/// LicenseLineStore on the service's migrated database: a re-sync rewrites only the lines CSSM changed, drops those it
/// no longer reports and leaves the others untouched, and what is stored afterwards is exactly CSSM's report.
/// </summary>
public class LicenseLineStoreTests
{
    private static readonly DateTimeOffset FirstSync = new(2026, 11, 1, 6, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset SecondSync = FirstSync.AddHours(1);

    private string _database = null!;
    private Guid _account;

    [SetUp]
    public async Task CreateDatabase()
    {
        _database = await RetentionOnDatabase.CreateMigratedDatabaseAsync<SmartAccountSyncDbContext>(
            await SharedTestServers.GetAsync(), "saslic", options => new SmartAccountSyncDbContext(options));
        await using var db = Db();
        _account = Guid.NewGuid();
        db.SmartAccounts.Add(new SmartAccount { Id = _account, Domain = "lines.example.com", Name = "LINES", ClientId = "c", ProtectedClientSecret = "-", ConfiguredAt = FirstSync });
        await db.SaveChangesAsync();
    }

    [Test]
    public async Task A_resync_writes_only_what_CSSM_changed_and_leaves_exactly_its_report()
    {
        var first = new[]
        {
            Line("VA-1", "UC Manager Enhanced License (12.x)", inUse: 3),
            Line("VA-1", "UC Manager Basic License (12.x)", inUse: 0),
            Line("VA-2", "UC Manager Enhanced License (12.x)", inUse: 5),
            Line("VA-3", "Unity Connection Enhanced Messaging (12.x)", inUse: 1),
        };
        var added = await StoreAsync(first, FirstSync);
        var before = await StoredAsync();

        // CSSM now: VA-1's Enhanced line consumed one more, VA-2's line got a new subscription, VA-3 is gone, VA-4 is new.
        var second = new[]
        {
            Line("VA-1", "UC Manager Enhanced License (12.x)", inUse: 4),
            Line("VA-1", "UC Manager Basic License (12.x)", inUse: 0),
            Line("VA-2", "UC Manager Enhanced License (12.x)", inUse: 5, subscriptions: 2),
            Line("VA-4", "UC Manager Enhanced License (12.x)", inUse: 0),
        };
        var changes = await StoreAsync(second, SecondSync);
        var after = await StoredAsync();
        var again = await StoreAsync(second, SecondSync.AddHours(1));

        Assert.Multiple(() =>
        {
            Assert.That(added, Is.EqualTo(new LicenseLineChanges(4, 0, 0)));
            Assert.That(changes, Is.EqualTo(new LicenseLineChanges(Added: 1, Changed: 2, Removed: 1)));
            Assert.That(again, Is.EqualTo(new LicenseLineChanges(0, 0, 0)), "an unchanged report writes nothing");
            Assert.That(after.Select(l => (l.VirtualAccount, l.License, l.InUse, l.Subscriptions.Count)), Is.EquivalentTo(
                second.Select(l => (l.VirtualAccount, l.License, l.InUse, l.Subscriptions.Count))), "stored = CSSM's report");

            var untouched = after.Single(l => l.VirtualAccount == "VA-1" && l.License.Contains("Basic"));
            var wasUntouched = before.Single(l => l.VirtualAccount == "VA-1" && l.License.Contains("Basic"));
            Assert.That((untouched.Id, untouched.SyncedAt), Is.EqualTo((wasUntouched.Id, FirstSync)), "the unchanged line was not rewritten");
            Assert.That(after.Where(l => l.License.Contains("Enhanced")).Select(l => l.SyncedAt), Has.All.EqualTo(SecondSync), "changed and new lines carry the sync that wrote them");
        });
    }

    [Test]
    public async Task Lines_of_another_smart_account_are_left_alone()
    {
        var other = Guid.NewGuid();
        await using (var db = Db())
        {
            db.SmartAccounts.Add(new SmartAccount { Id = other, Domain = "other.example.com", Name = "OTHER", ClientId = "c", ProtectedClientSecret = "-", ConfiguredAt = FirstSync });
            await db.SaveChangesAsync();
        }

        await StoreAsync([Line("VA-1", "UC Manager Enhanced License (12.x)", inUse: 1)], FirstSync, other);
        await StoreAsync([Line("VA-1", "UC Manager Enhanced License (12.x)", inUse: 2)], FirstSync);

        var removed = await StoreAsync([], SecondSync);

        await using var check = Db();
        Assert.Multiple(async () =>
        {
            Assert.That(removed, Is.EqualTo(new LicenseLineChanges(0, 0, 1)));
            Assert.That(await check.LicenseLines.Where(l => l.SmartAccountId == other).Select(l => l.InUse).ToListAsync(), Is.EqualTo(new[] { 1 }));
        });
    }

    private static LicenseLine Line(string va, string license, int inUse, int subscriptions = 1) => new()
    {
        VirtualAccount = va,
        License = license,
        Quantity = 10 * subscriptions,
        InUse = inUse,
        Available = 10 * subscriptions - inUse,
        Status = "In Compliance",
        BillingType = "PREPAID",
        Subscriptions = [.. Enumerable.Range(1, subscriptions).Select(i => new LicenseSubscription(
            "TERM", 10, new DateOnly(2026, 1, i), new DateOnly(2027, 1, i), $"Sub{i:D6}", "ACTIVE"))],
    };

    private async Task<LicenseLineChanges> StoreAsync(IReadOnlyList<LicenseLine> lines, DateTimeOffset now, Guid? account = null)
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var changes = await LicenseLineStore.StoreAsync(connection, transaction, account ?? _account, lines, now, CancellationToken.None);
        await transaction.CommitAsync();
        return changes;
    }

    private async Task<List<LicenseLine>> StoredAsync()
    {
        await using var db = Db();
        return await db.LicenseLines.AsNoTracking().Where(l => l.SmartAccountId == _account).ToListAsync();
    }

    private SmartAccountSyncDbContext Db() =>
        new(new DbContextOptionsBuilder<SmartAccountSyncDbContext>().UseNpgsql(_database).Options);
}
