using HcsLicensing.ServiceDefaults.Health;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace HcsLicensing.ServiceDefaults.Database;

/// <summary>The service's own PostgreSQL database through EF Core, migrated when the service starts.</summary>
public static class DatabaseExtensions
{
    /// <summary>The connection string every service reads its database from.</summary>
    public const string ConnectionStringName = "Database";

    /// <summary>
    /// Registers <typeparamref name="TDbContext"/> on Npgsql with ConnectionStrings:Database, a readiness check,
    /// and a start-up step that applies pending migrations before any other hosted service starts (the bus, Data
    /// Protection's key ring, the background loops: hosted services start in registration order).
    /// </summary>
    public static IHostApplicationBuilder AddServiceDatabase<TDbContext>(this IHostApplicationBuilder builder)
        where TDbContext : DbContext
    {
        var connectionString = builder.Configuration.GetConnectionString(ConnectionStringName)
            ?? throw new InvalidOperationException($"ConnectionStrings:{ConnectionStringName} is not configured.");
        // Pooled: every consumed message resolves a context, and the pool spares building one each time.
        builder.Services.AddDbContextPool<TDbContext>(options => options.UseNpgsql(PooledConnectionSettings(connectionString)));
        builder.Services.AddPostgresReadiness(connectionString);
        // First of all hosted services, not merely before the bus: Data Protection's own hosted service (registered
        // by AddServiceApiSecurity's authentication, ahead of this) reads the key ring from a table a migration makes.
        builder.Services.Insert(0, ServiceDescriptor.Singleton<IHostedService, MigrateOnStart<TDbContext>>());
        return builder;
    }

    /// <summary>
    /// Two defaults for the pooled connections every consumed message uses, each kept when the connection string sets
    /// it itself:
    /// <list type="bullet">
    /// <item>No reset: Npgsql resets a pooled connection with DISCARD ALL when it goes back to the pool: one more
    /// statement, and one more commit, for every message a service handles (a quarter of JobTracker's commits). These
    /// services leave no session state behind to reset (no SET, no session-level advisory lock, no temporary table;
    /// open transactions are rolled back by the pool in any case; the outbox's LISTEN connection is not pooled).</item>
    /// <item>Prepared statements: a service sends the same few dozen statements (the inbox insert, the saga's load and
    /// update, the outbox insert) thousands of times, and PostgreSQL parses and plans each one again unless it is
    /// prepared. With <c>Max Auto Prepare</c> Npgsql prepares a statement on a connection after its fifth use and
    /// keeps the most used ones; the reset above would have dropped them.</item>
    /// </list>
    /// </summary>
    internal static string PooledConnectionSettings(string connectionString)
    {
        var settings = new NpgsqlConnectionStringBuilder(connectionString);
        if (!Names(connectionString, "Reset On Close", "ResetOnClose"))
        {
            settings.NoResetOnClose = true;
        }

        if (!Names(connectionString, "Max Auto Prepare", "MaxAutoPrepare"))
        {
            settings.MaxAutoPrepare = AutoPreparedStatements;
        }

        return settings.ConnectionString;
    }

    /// <summary>Per connection: more than the distinct statements of the busiest service's message handling.</summary>
    internal const int AutoPreparedStatements = 100;

    private static bool Names(string connectionString, params string[] keys) =>
        keys.Any(key => connectionString.Contains(key, StringComparison.OrdinalIgnoreCase));
}
