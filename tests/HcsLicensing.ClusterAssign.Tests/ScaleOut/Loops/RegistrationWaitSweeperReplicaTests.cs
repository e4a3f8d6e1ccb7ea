using HcsLicensing.TestBed;
using HcsLicensing.TestBed.Suite;
using Npgsql;
using static HcsLicensing.ClusterAssign.Tests.EndToEnd.Operator;

namespace HcsLicensing.ClusterAssign.Tests.ScaleOut.Loops;

/// <summary>
/// CHPA's RegistrationWaitSweeper runs in each of three replicas, every 250 ms, and each finds the same orphaned
/// registration waits (past their deadline, their polls lost): each requester must still get exactly one answer.
/// </summary>
[Category("ScaleOut")]
public class RegistrationWaitSweeperReplicaTests
{
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(60);

    [Test]
    public async Task Orphaned_registration_waits_are_each_answered_once_although_three_replicas_sweep()
    {
        var (suite, _) = await ReplicatedLoopsSuite.GetAsync();
        var clusters = suite.TakeClusterNames(9);
        await suite.AddClustersToInventoryAsync(clusters);
        foreach (var cluster in clusters)
        {
            // Off the network: the sweeper's last read cannot settle the wait, so each is answered chpaTimedOut.
            await SetKnobsAsync(suite, cluster, new { unreachable = true });
        }

        await using var requester = await ProbeQueue.StartAsync(suite, "orphan-requester");
        var waits = clusters.Take(8).ToDictionary(cluster => Guid.NewGuid(), cluster => cluster);
        await InsertOrphansAsync(suite, requester, waits);
        await Eventually.Poll(() => Task.FromResult(requester.Received.Select(d => d.RequestId).Distinct().Count()), n => n == waits.Count, AnswerTimeout);
        // The control: one wait orphaned after those were answered. A second answer to any of them came before its own.
        var control = Guid.NewGuid();
        await InsertOrphansAsync(suite, requester, new Dictionary<Guid, string> { [control] = clusters[8] });
        await Eventually.Poll(() => Task.FromResult(requester.Received.Count(d => d.RequestId == control)), n => n > 0, AnswerTimeout);

        var answers = requester.Received.Where(d => d.RequestId != control).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(answers.Select(d => d.RequestId), Is.EquivalentTo(waits.Keys.Select(id => (Guid?)id)), "one answer per registration request");
            foreach (var answer in answers)
            {
                Assert.That(answer.Message.GetProperty("clusterName").GetString(), Is.EqualTo(waits[answer.RequestId!.Value]));
                Assert.That(answer.Message.GetProperty("responseReason").ToString(), Is.EqualTo("chpaTimedOut"));
            }
        });
    }

    /// <summary>Waits as CHPA's register consumer leaves them, past their deadline, whose next poll never comes (no poll carries their token).</summary>
    private static async Task InsertOrphansAsync(HcsSuite suite, ProbeQueue requester, IReadOnlyDictionary<Guid, string> waits)
    {
        await using var connection = new NpgsqlConnection(suite.DatabaseOf(SuiteService.Chpa));
        await connection.OpenAsync();
        await using var batch = connection.CreateBatch();
        foreach (var (id, cluster) in waits)
        {
            var command = new NpgsqlBatchCommand(
                """
                INSERT INTO registration_waits (id, cluster_name, session_id, request_id, response_address, conversation_id, outcome_unknown, unknown_cause, poll_token, polls, last_seen, started_at, deadline)
                VALUES (@id, @cluster, 'register-orphan', @id, @address, NULL, FALSE, NULL, @token, 7, 'Restarting', now() - interval '20 minutes', now() - interval '10 minutes')
                """);
            command.Parameters.AddWithValue("id", id);
            command.Parameters.AddWithValue("cluster", cluster);
            command.Parameters.AddWithValue("address", requester.Address.ToString());
            command.Parameters.AddWithValue("token", Guid.NewGuid());
            batch.BatchCommands.Add(command);
        }

        await batch.ExecuteNonQueryAsync();
    }
}
