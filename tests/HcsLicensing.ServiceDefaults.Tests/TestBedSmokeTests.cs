using HcsLicensing.TestBed;
using Npgsql;
using RabbitMQ.Client;

namespace HcsLicensing.ServiceDefaults.Tests;

public class TestBedSmokeTests
{
    [Test]
    public async Task Servers_accept_a_message_and_a_query()
    {
        var servers = await SharedTestServers.GetAsync();
        var factory = new ConnectionFactory { Uri = servers.RabbitMq.AmqpUri };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var queue = await channel.QueueDeclareAsync(exclusive: true);
        await channel.BasicPublishAsync("", queue.QueueName, "hello"u8.ToArray());
        var got = await channel.BasicGetAsync(queue.QueueName, autoAck: true);

        await using var db = new NpgsqlConnection(await servers.Postgres.CreateDatabaseAsync());
        await db.OpenAsync();
        await using var command = new NpgsqlCommand("select 40 + 2", db);

        Assert.Multiple(async () =>
        {
            Assert.That(got?.Body.ToArray(), Is.EqualTo("hello"u8.ToArray()));
            Assert.That(await command.ExecuteScalarAsync(), Is.EqualTo(42));
        });
    }
}
