using System.Diagnostics;
using HcsLicensing.TestBed;
using Npgsql;
using RabbitMQ.Client;

namespace HcsLicensing.Benchmarks;

/// <summary>
/// The raw rates of this machine's broker and database, measured in the same run as a benchmark so that its
/// result reads as a share of what the machine can do: persistent, confirmed RabbitMQ publishes into a durable
/// queue, and single-row UPDATE commits (synchronous commit) on PostgreSQL.
/// </summary>
internal static class MachineLimits
{
    public static async Task<(double MessagesPerSecond, double CommitsPerSecond)> MeasureAsync(TestServers servers, TimeSpan duration)
    {
        var rabbit = await RabbitMqConfirmedRateAsync(servers.RabbitMq, duration);
        var postgres = await PostgresCommitRateAsync(servers.Postgres, duration);
        Console.WriteLine($"machine: RabbitMQ persistent+confirmed publish {rabbit:F0} msg/s (4 publishers x 256 in flight); PostgreSQL {postgres:F0} single-row commits/s (16 clients)");
        return (rabbit, postgres);
    }

    private static async Task<double> RabbitMqConfirmedRateAsync(RabbitMqEndpoint endpoint, TimeSpan duration)
    {
        var factory = new ConnectionFactory { Uri = endpoint.AmqpUri };
        await using var connection = await factory.CreateConnectionAsync();
        var queue = $"bench-raw-{Guid.NewGuid():N}";
        await using (var setup = await connection.CreateChannelAsync())
        {
            await setup.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
        }

        var body = new byte[512];
        var properties = new BasicProperties { Persistent = true };
        var published = 0L;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            var options = new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true);
            await using var channel = await connection.CreateChannelAsync(options);
            while (clock.Elapsed < duration)
            {
                // 256 in flight per publisher: throughput comes from outstanding confirms, not faster single sends.
                await Task.WhenAll(Enumerable.Range(0, 256).Select(_ => channel.BasicPublishAsync("", queue, true, properties, body).AsTask()));
                Interlocked.Add(ref published, 256);
            }
        }));
        var rate = published / clock.Elapsed.TotalSeconds;
        await using (var cleanup = await connection.CreateChannelAsync())
        {
            await cleanup.QueueDeleteAsync(queue);
        }

        return rate;
    }

    private static async Task<double> PostgresCommitRateAsync(PostgresServer server, TimeSpan duration)
    {
        var connectionString = await server.CreateDatabaseAsync("bench");
        await using (var setup = new NpgsqlConnection(connectionString))
        {
            await setup.OpenAsync();
            await using var create = new NpgsqlCommand("CREATE TABLE counters (id int PRIMARY KEY, n bigint NOT NULL); INSERT INTO counters SELECT g, 0 FROM generate_series(0, 15) g;", setup);
            await create.ExecuteNonQueryAsync();
        }

        var commits = 0L;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 16).Select(async client =>
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var update = new NpgsqlCommand($"UPDATE counters SET n = n + 1 WHERE id = {client}", connection);
            while (clock.Elapsed < duration)
            {
                await update.ExecuteNonQueryAsync();
                Interlocked.Increment(ref commits);
            }
        }));
        return commits / clock.Elapsed.TotalSeconds;
    }
}
