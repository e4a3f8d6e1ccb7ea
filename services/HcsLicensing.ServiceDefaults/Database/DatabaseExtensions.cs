using HcsLicensing.ServiceDefaults.Health;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

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
        builder.Services.AddDbContextPool<TDbContext>(options => options.UseNpgsql(connectionString));
        builder.Services.AddPostgresReadiness(connectionString);
        builder.Services.AddHostedService<MigrateOnStart<TDbContext>>();
        return builder;
    }
}
