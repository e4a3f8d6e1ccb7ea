using HcsLicensing.ClusterAssign.Data;
using HcsLicensing.ClusterAssign.Operations;
using HcsLicensing.Contracts.Chpa;
using HcsLicensing.Contracts.ClusterAssignments;
using HcsLicensing.Contracts.SmartAccounts;
using HcsLicensing.ServiceDefaults.Retention;
using HcsLicensing.TestBed;
using HcsLicensing.TestBed.Retention;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace HcsLicensing.ClusterAssign.Tests.Data;

/// <summary>
/// ClusterAssignRetention on the service's migrated database, with rows as the operation rules leave them: a request
/// naming a cluster CHPA's inventory never had leaves a row that goes a day later, unless the cluster was once known or
/// an operation runs on it.
/// </summary>
public class ClusterAssignRetentionTests
{
    private const string Domain = "hcs-demo.example.com";
    private const string Va = "HCS-DEMO";
    private static readonly DateTimeOffset Start = new(2026, 5, 4, 10, 0, 0, TimeSpan.Zero);

    private readonly ClusterOperationFlow flow = new(new ClusterAssignOptions());
    private string _database = null!;
    private FakeTimeProvider _clock = null!;

    [SetUp]
    public async Task CreateDatabase()
    {
        _database = await RetentionOnDatabase.CreateMigratedDatabaseAsync<ClusterAssignDbContext>(
            await SharedTestServers.GetAsync(), "caret", options => new ClusterAssignDbContext(options));
        _clock = new FakeTimeProvider(Start);
    }

    [Test]
    public async Task The_row_of_a_cluster_CHPA_never_knew_goes_a_day_after_its_job_failed_and_other_rows_stay()
    {
        await using var services = RetentionOnDatabase.Services<ClusterAssignDbContext>(_database, _clock, [ClusterAssignRetention.UnknownClusters]);
        var pruner = services.GetRequiredService<RetentionPruner<ClusterAssignDbContext>>();

        var unknown = FailedVerification("cl-typo", ChpaResponseReason.chpaUnknownCluster);
        var onceKnown = FailedVerification("cl-removed", ChpaResponseReason.chpaUnknownCluster);
        onceKnown.ApplicationType = UcApplicationType.CUCM; // verified before it left CHPA's inventory
        var unreachable = FailedVerification("cl-down", ChpaResponseReason.chpaClusterUnreachable);
        var runningAgain = FailedVerification("cl-added-since", ChpaResponseReason.chpaUnknownCluster);
        flow.Start(runningAgain, Assignment("cl-added-since", "req-2"), _clock.GetUtcNow()); // the operator added it and asked again
        await SaveAsync(unknown, onceKnown, unreachable, runningAgain);
        _clock.Advance(TimeSpan.FromHours(12));
        await SaveAsync(FailedVerification("cl-typo-later", ChpaResponseReason.chpaUnknownCluster));

        _clock.Advance(TimeSpan.FromHours(11)); // the first rows are 23 hours old
        await pruner.PruneAsync(CancellationToken.None);
        var before = await ClusterNamesAsync();
        _clock.Advance(TimeSpan.FromHours(2));
        var pass = await pruner.PruneAsync(CancellationToken.None);
        var after = await ClusterNamesAsync();

        Assert.Multiple(() =>
        {
            Assert.That(unknown.FailureReason, Is.EqualTo(SmartLicResponseReason.SmartLicUnknownCluster), "the rules left the row as a request for an unknown cluster does");
            Assert.That(runningAgain.IsRunning, Is.True);
            Assert.That(before, Is.EquivalentTo(AllClusters));
            Assert.That(after, Is.EquivalentTo(AllClusters.Except(["cl-typo"])));
            Assert.That(pass.Single().Deleted, Is.EqualTo(1));
        });
    }

    private static readonly string[] AllClusters = ["cl-typo", "cl-removed", "cl-down", "cl-added-since", "cl-typo-later"];

    /// <summary>A cluster's row after an assignment whose Verification CHPA answered with <paramref name="reason"/>, now.</summary>
    private ClusterOperationState FailedVerification(string cluster, ChpaResponseReason reason)
    {
        var now = _clock.GetUtcNow();
        var s = new ClusterOperationState { CorrelationId = ClusterKeys.ForCluster(cluster), CurrentState = "Tracking" };
        flow.Start(s, Assignment(cluster, "req-1"), now);
        var verify = flow.OnAnswer(s, new RegistrationTokenIssued { SmartAccountDomain = Domain, VirtualAccountName = Va, Token = "token", ExpiresAt = now.AddDays(30) }, now);
        var session = verify.Select(o => o.Message).OfType<VerifyClusterRequest>().Single().SessionId;
        flow.OnAnswer(s, new VerifyClusterResponse { ClusterName = cluster, SessionId = session, ResponseCode = ChpaResponseCode.FAIL, ResponseReason = reason }, now);
        return s;
    }

    private static StartOperation Assignment(string cluster, string requestId) =>
        StartOperation.From(new ClusterAssignmentRequest { RequestId = requestId, ClusterName = cluster, SmartAccountDomain = Domain, VirtualAccountName = Va });

    private async Task SaveAsync(params ClusterOperationState[] rows)
    {
        await using var db = Open();
        db.ClusterOperations.AddRange(rows);
        await db.SaveChangesAsync();
    }

    private async Task<List<string>> ClusterNamesAsync()
    {
        await using var db = Open();
        return await db.ClusterOperations.Select(c => c.ClusterName).ToListAsync();
    }

    private ClusterAssignDbContext Open() => new(new DbContextOptionsBuilder<ClusterAssignDbContext>().UseNpgsql(_database).Options);
}
