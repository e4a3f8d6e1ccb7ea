using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HcsLicensing.ServiceDefaults.Database;

/// <summary>
/// Applies the service's pending EF Core migrations at start-up, one replica at a time: replicas starting together
/// (a deployment's three, or a rollout) hold a PostgreSQL advisory lock of the database for the whole migration, so
/// the second finds nothing left to apply. EF Core's own migration lock did not prevent it: three replicas of a
/// service started at once in the scale-out test, and two crashed on "duplicate key ... __EFMigrationsHistory".
/// </summary>
internal sealed class MigrateOnStart<TDbContext>(IServiceScopeFactory scopes, ILogger<MigrateOnStart<TDbContext>> logger) : IHostedService
    where TDbContext : DbContext
{
    // The advisory lock's key is "HCSMIGR" in ASCII; advisory locks are per database, so one key serves every service.
    private const string Lock = "SELECT pg_advisory_lock(20340223381161810)";
    private const string Unlock = "SELECT pg_advisory_unlock(20340223381161810)";

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

        // An advisory lock belongs to the session: the context keeps one connection open from lock to unlock.
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await db.Database.ExecuteSqlRawAsync(Lock, cancellationToken);

            // EF Core's migrator reads the history table before creating it and logs that first read as an error on a
            // new database; creating it beforehand (with EF's own script) keeps a first start's log clean.
            await db.Database.ExecuteSqlRawAsync(db.GetService<IHistoryRepository>().GetCreateIfNotExistsScript(), cancellationToken);
            await db.Database.MigrateAsync(cancellationToken);
        }
        finally
        {
            // Explicitly, also after a failure: a pooled connection's session (and its lock) outlives its closing.
            await db.Database.ExecuteSqlRawAsync(Unlock, CancellationToken.None);
            await db.Database.CloseConnectionAsync();
        }

        logger.LogInformation("Database {Database} is at migration {Migration}", db.Database.GetDbConnection().Database, db.Database.GetMigrations().Last());
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
