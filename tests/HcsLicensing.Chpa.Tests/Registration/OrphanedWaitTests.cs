using System.Collections.Concurrent;
using HcsLicensing.Chpa.Tests.Support;
using HcsLicensing.Contracts.Chpa;
using HcsLicensing.TestBed;
using MassTransit;
using Npgsql;

namespace HcsLicensing.Chpa.Tests.Registration;

/// <summary>A wait whose polls stopped (the last one went to the error queue) is still answered, by the sweeper.</summary>
/// <remarks>The sweeper reads the cluster first, as a poll would; this one's publisher is off the network, so the read cannot settle it.</remarks>
public class OrphanedWaitTests
{
    [Test]
    public async Task A_wait_past_its_deadline_without_polls_is_answered_timed_out_to_its_requester()
    {
        var shared = await SharedChpa.GetAsync();
        var queue = $"{shared.Chpa.Prefix}orphan-requester-{Guid.NewGuid().ToString("N")[..6]}";
        var received = new ConcurrentQueue<(RegisterClusterResponse Message, Guid? RequestId)>();
        var requester = Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(shared.Servers.RabbitMq.AmqpUri);
            rabbit.ReceiveEndpoint(queue, endpoint => endpoint.Handler<RegisterClusterResponse>(context =>
            {
                received.Enqueue((context.Message, context.RequestId));
                return Task.CompletedTask;
            }));
        });
        await requester.StartAsync();
        try
        {
            var requestId = Guid.NewGuid();
            var cluster = await shared.NewClusterAsync("orphan", knobs: new { unreachable = true });
            await InsertOrphanAsync(shared.Chpa.Database, cluster.Name, requestId, $"queue:{queue}");

            var answers = await Eventually.Poll(() => Task.FromResult(received.ToArray()), a => a.Length > 0, TimeSpan.FromSeconds(20));

            Assert.That(answers, Has.Length.EqualTo(1));
            Assert.Multiple(() =>
            {
                Assert.That(answers[0].RequestId, Is.EqualTo(requestId), "answered as the original request");
                Assert.That((answers[0].Message.ResponseCode, answers[0].Message.ResponseReason), Is.EqualTo((ChpaResponseCode.FAIL, ChpaResponseReason.chpaTimedOut)));
                Assert.That(answers[0].Message.ResponseDescription, Does.Contain("last seen: Unreachable"));
            });
        }
        finally
        {
            await requester.StopAsync();
        }
    }

    /// <summary>A wait as the register consumer leaves it, whose poll never comes (no poll is scheduled for its token).</summary>
    private static async Task InsertOrphanAsync(string database, string clusterName, Guid requestId, string responseAddress)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO registration_waits (id, cluster_name, session_id, request_id, response_address, conversation_id, outcome_unknown, unknown_cause, poll_token, polls, last_seen, started_at, deadline)
            VALUES (@id, @cluster, 'register-orphan', @id, @address, NULL, FALSE, NULL, @token, 7, 'Restarting', now() - interval '20 minutes', now() - interval '10 minutes')
            """,
            connection);
        command.Parameters.AddWithValue("id", requestId);
        command.Parameters.AddWithValue("cluster", clusterName);
        command.Parameters.AddWithValue("address", responseAddress);
        command.Parameters.AddWithValue("token", Guid.NewGuid());
        await command.ExecuteNonQueryAsync();
    }
}
