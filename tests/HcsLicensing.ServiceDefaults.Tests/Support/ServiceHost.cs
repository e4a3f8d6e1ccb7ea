using HcsLicensing.ServiceDefaults.Database;
using HcsLicensing.ServiceDefaults.Messaging;
using HcsLicensing.ServiceDefaults.Outbox;
using HcsLicensing.TestBed;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace HcsLicensing.ServiceDefaults.Tests.Support;

/// <summary>
/// A host wired the way a service's Program.cs wires itself (AddServiceDatabase, AddServiceBus with the durable
/// scheduler), on the test bed's real RabbitMQ and a test database. Endpoint names carry the test's prefix so
/// that tests sharing a broker never consume each other's messages.
/// </summary>
public static class ServiceHost
{
    public static async Task<IHost> StartAsync(
        TestServers servers,
        string database,
        string prefix,
        Action<IBusRegistrationConfigurator> configureBus,
        IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? configureServices = null)
    {
        var host = Build(servers, database, prefix, configureBus, settings, configureServices);
        await host.StartAsync();
        return host;
    }

    /// <summary>The same host, built but not started.</summary>
    public static IHost Build(
        TestServers servers,
        string database,
        string prefix,
        Action<IBusRegistrationConfigurator> configureBus,
        IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? configureServices = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Database"] = database,
            ["ConnectionStrings:RabbitMq"] = servers.RabbitMq.AmqpUri.ToString(),
            ["Outbox:PollInterval"] = "00:00:00.500",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Messaging:EndpointPrefix"] = $"{prefix}-",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.AddServiceDatabase<TestDbContext>();
        builder.AddServiceBus<TestDbContext>(configureBus, schedulerQueue: "scheduler");
        configureServices?.Invoke(builder.Services);

        return builder.Build();
    }

    /// <summary>A fresh database with the test schema (the test context has no migrations of its own).</summary>
    public static async Task<string> CreateDatabaseAsync(TestServers servers)
    {
        var connectionString = await servers.Postgres.CreateDatabaseAsync("sd");
        await using var db = Open(connectionString);
        await db.Database.EnsureCreatedAsync();
        await db.Database.ExecuteSqlRawAsync(OutboxModel.NotificationSql);
        return connectionString;
    }

    public static TestDbContext Open(string connectionString) =>
        new(new DbContextOptionsBuilder<TestDbContext>().UseNpgsql(connectionString).Options);

    /// <summary>A short unique prefix for a test's queues.</summary>
    public static string NewPrefix(string name) => $"{name}-{Guid.NewGuid().ToString("N")[..6]}";
}
