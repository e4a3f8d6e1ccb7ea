using System.Globalization;
using System.Text.RegularExpressions;
using HcsLicensing.TestBed;
using HcsLicensing.TestBed.Suite;
using Npgsql;

namespace HcsLicensing.ClusterAssign.Tests.ScaleOut.Loops;

/// <summary>
/// The RetentionPruner runs in each of three JobTracker replicas, every half second, in batches of 100: old audit
/// entries must all go, each deleted once (the replicas' counts add up to exactly the rows there were), with no
/// failure from the replicas racing for the same rows, and the recent ones stay.
/// </summary>
[Category("ScaleOut")]
public partial class RetentionReplicaTests
{
    private const int OldEntries = 20_000;
    private const int ControlEntries = 100;

    [Test]
    public async Task Three_replicas_delete_each_expired_audit_entry_once_and_count_it_once()
    {
        var (suite, _) = await ReplicatedLoopsSuite.GetAsync();
        var database = suite.DatabaseOf(SuiteService.JobTracker)!;
        var recent = await CountAsync(database, "at > now() - interval '1 day'");
        Assert.That(recent, Is.GreaterThan(0), "the suite's own audit entries (its smart account, its sync jobs)");

        await InsertExpiredAsync(database, "old", OldEntries);
        await Eventually.Poll(() => Task.FromResult(DeletedAsLogged(suite).Sum()), n => n >= OldEntries, TimeSpan.FromSeconds(60));
        // The control: rows expired after the first ones were gone. A second count of any of those was logged before these.
        await InsertExpiredAsync(database, "control", ControlEntries);
        await Eventually.Poll(() => Task.FromResult(DeletedAsLogged(suite).Sum()), n => n >= OldEntries + ControlEntries, TimeSpan.FromSeconds(60));

        var perReplica = DeletedAsLogged(suite);
        await TestContext.Out.WriteLineAsync($"audit entries deleted per replica: {string.Join(", ", perReplica)}");
        var expiredLeft = await CountAsync(database, "at < now() - interval '1 year'");
        var recentLeft = await CountAsync(database, "at > now() - interval '1 day'");
        Assert.Multiple(() =>
        {
            Assert.That(perReplica.Sum(), Is.EqualTo(OldEntries + ControlEntries), "rows deleted as the replicas logged them");
            Assert.That(expiredLeft, Is.Zero, "expired audit entries left");
            Assert.That(recentLeft, Is.GreaterThanOrEqualTo(recent), "recent audit entries kept");
            for (var replica = 0; replica < ReplicatedLoopsSuite.Replicas; replica++)
            {
                Assert.That(suite.OutputOf(SuiteService.JobTracker, replica), Does.Not.Contain("Retention AuditEntries of audit_entries failed"), $"replica {replica}");
            }
        });
    }

    /// <summary>Rows of AuditEntries each JobTracker replica says it deleted ("Retention AuditEntries: deleted N rows ...", one line per pass).</summary>
    private static int[] DeletedAsLogged(HcsSuite suite) =>
        [.. Enumerable.Range(0, ReplicatedLoopsSuite.Replicas).Select(replica =>
            DeletedLine().Matches(suite.OutputOf(SuiteService.JobTracker, replica)).Sum(match => int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)))];

    /// <summary>Audit entries two years old, past the trail's one-year keep.</summary>
    private static async Task InsertExpiredAsync(string database, string tag, int count)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO audit_entries (at, actor, action, service, entity_type, entity_name, detail, job_id, source_key)
            SELECT now() - interval '2 years', 'retention-test', 'ConfigurationChanged', 'Chpa', 'Cluster', 'expired-' || n, 'an entry past its keep time', NULL, @tag || '-' || n
              FROM generate_series(1, @count) AS n
            """,
            connection);
        command.Parameters.AddWithValue("tag", $"retention-test-{tag}-{Guid.NewGuid():N}");
        command.Parameters.AddWithValue("count", count);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> CountAsync(string database, string where)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM audit_entries WHERE {where}", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [GeneratedRegex(@"Retention AuditEntries: deleted (\d+) rows of audit_entries")]
    private static partial Regex DeletedLine();
}
