using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HcsLicensing.ServiceDefaults.Database;

/// <summary>
/// Applies the service's pending EF Core migrations at start-up. EF Core takes a database lock while
/// migrating, so several replicas starting at once apply each migration once.
/// </summary>
internal sealed class MigrateOnStart<TDbContext>(IServiceScopeFactory scopes, ILogger<MigrateOnStart<TDbContext>> logger) : IHostedService
    where TDbContext : DbContext
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        // A context without migrations (e.g. a test's, whose schema is created directly) has nothing to apply;
        // asking the database would only log a missing history table as an error.
        if (!db.Database.GetMigrations().Any())
        {
            return;
        }

        // EF Core's migrator reads the history table before creating it and logs that first read as an error on a
        // new database; creating it beforehand (with EF's own script) keeps a first start's log clean.
        await db.Database.ExecuteSqlRawAsync(db.GetService<IHistoryRepository>().GetCreateIfNotExistsScript(), cancellationToken);
        await db.Database.MigrateAsync(cancellationToken);
        logger.LogInformation("Database {Database} is at migration {Migration}", db.Database.GetDbConnection().Database, db.Database.GetMigrations().Last());
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
