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
    /// and a start-up step that applies pending migrations before the bus starts consuming
    /// (call this before AddServiceBus: hosted services start in registration order).
    /// </summary>
    public static IHostApplicationBuilder AddServiceDatabase<TDbContext>(this IHostApplicationBuilder builder)
        where TDbContext : DbContext
    {
        var connectionString = builder.Configuration.GetConnectionString(ConnectionStringName)
            ?? throw new InvalidOperationException($"ConnectionStrings:{ConnectionStringName} is not configured.");
        // Pooled: every consumed message resolves a context, and the pool spares building one each time.
        builder.Services.AddDbContextPool<TDbContext>(options => options.UseNpgsql(WithoutResetOnClose(connectionString)));
        builder.Services.AddPostgresReadiness(connectionString);
        builder.Services.AddHostedService<MigrateOnStart<TDbContext>>();
        return builder;
    }

    /// <summary>
    /// Npgsql resets a pooled connection with DISCARD ALL when it goes back to the pool: one more statement, and one more
    /// commit, for every message a service handles (a quarter of JobTracker's commits). These services leave no session
    /// state behind to reset (no SET, no session-level advisory lock, no temporary table; open transactions are rolled
    /// back by the pool in any case; the outbox's LISTEN connection is not pooled), so the reset is skipped unless the
    /// connection string asks for it.
    /// </summary>
    internal static string WithoutResetOnClose(string connectionString)
    {
        var settings = new NpgsqlConnectionStringBuilder(connectionString);
        if (!connectionString.Contains("Reset On Close", StringComparison.OrdinalIgnoreCase) && !connectionString.Contains("ResetOnClose", StringComparison.OrdinalIgnoreCase))
        {
            settings.NoResetOnClose = true;
        }

        return settings.ConnectionString;
    }
}
