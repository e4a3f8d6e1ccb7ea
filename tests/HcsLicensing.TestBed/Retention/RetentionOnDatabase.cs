using HcsLicensing.ServiceDefaults.Retention;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace HcsLicensing.TestBed.Retention;

/// <summary>
/// A service's retention rules and pruner, registered as the service registers them (AddRetention), on a test database
/// and a clock the test moves: a pass runs when the test calls it, the rows' age is the clock's.
/// </summary>
public static class RetentionOnDatabase
{
    public static ServiceProvider Services<TDbContext>(string database, TimeProvider clock, IEnumerable<RetentionRule> rules, IDictionary<string, string?>? settings = null)
        where TDbContext : DbContext
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(clock);
        services.AddDbContext<TDbContext>(options => options.UseNpgsql(database));
        services.AddRetention<TDbContext>(configuration, [.. rules]);
        return services.BuildServiceProvider();
    }

    /// <summary>The service's database, created and migrated as the service does at its start.</summary>
    public static async Task<string> CreateMigratedDatabaseAsync<TDbContext>(TestServers servers, string prefix, Func<DbContextOptions<TDbContext>, TDbContext> create)
        where TDbContext : DbContext
    {
        var database = await servers.Postgres.CreateDatabaseAsync(prefix);
        await using var db = create(new DbContextOptionsBuilder<TDbContext>().UseNpgsql(database).Options);
        await db.Database.MigrateAsync();
        return database;
    }
}
