using System.Diagnostics.Metrics;
using HcsLicensing.ServiceDefaults.Hosting;
using HcsLicensing.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HcsLicensing.ServiceDefaults.Retention;

/// <summary>
/// Deletes what the service's <see cref="RetentionRule"/>s no longer keep, every <see cref="RetentionOptions.Interval"/>,
/// in every replica and without a leader: each batch is one statement, its own transaction, that deletes at most
/// <see cref="RetentionOptions.BatchSize"/> rows it could lock (FOR UPDATE SKIP LOCKED), so replicas pruning at once
/// share the rows instead of waiting for or deleting each other's, and no lock is held longer than one batch.
/// </summary>
public sealed class RetentionPruner<TDbContext>(
    IServiceScopeFactory scopes,
    IEnumerable<RetentionRule> rules,
    IOptions<RetentionOptions> options,
    TimeProvider clock,
    ILogger<RetentionPruner<TDbContext>> logger) : RecurringWork(clock, logger)
    where TDbContext : DbContext
{
    /// <summary>The Meter of <c>hcs.retention.pruned</c>: rows deleted, tagged by rule and table.</summary>
    public const string MeterName = "HcsLicensing.Retention";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Pruned = Meter.CreateCounter<long>("hcs.retention.pruned", "{row}", "Rows deleted by retention");

    private readonly RetentionRule[] rules = [.. rules.DistinctBy(rule => rule.Name)];

    protected override TimeSpan Interval => options.Value.Interval;

    protected override string Work => "Pruning rows past their retention";

    protected override bool Enabled => options.Value.Interval > TimeSpan.Zero;

    protected override async Task RunOnceAsync(CancellationToken cancellationToken) => await PruneAsync(cancellationToken);

    /// <summary>One pass: each rule in turn, batch after batch until one comes back short. What each rule deleted.</summary>
    public async Task<IReadOnlyList<RetentionResult>> PruneAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var batchSize = Math.Max(1, settings.BatchSize);
        var now = Clock.GetUtcNow();
        var results = new List<RetentionResult>();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        foreach (var rule in rules)
        {
            var keep = settings.KeepOf(rule);
            if (keep <= TimeSpan.Zero)
            {
                continue; // kept forever
            }

            RetentionResult result;
            try
            {
                result = await PruneAsync(db, rule, now - keep, batchSize, cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException && !Outages.IsOutage(exception))
            {
                // One rule that fails (a lock timeout, a rule gone wrong) does not keep the others from their pass.
                Logger.LogWarning(exception, "Retention {Rule} of {Table} failed; the next pass tries again", rule.Name, rule.Table);
                continue;
            }

            results.Add(result);
            if (result.Deleted > 0)
            {
                Pruned.Add(result.Deleted, new KeyValuePair<string, object?>("hcs.retention.rule", rule.Name), new KeyValuePair<string, object?>("db.collection.name", rule.Table));
                Logger.LogInformation("Retention {Rule}: deleted {Deleted} rows of {Table} older than {Keep} in {Batches} batches", rule.Name, result.Deleted, rule.Table, keep, result.Batches);
            }
        }

        return results;
    }

    private static async Task<RetentionResult> PruneAsync(TDbContext db, RetentionRule rule, DateTimeOffset cutoff, int batchSize, CancellationToken cancellationToken)
    {
        var sql = rule.BatchSql;
        var deleted = 0;
        var batches = 0;
        int last;
        do
        {
            last = await db.Database.ExecuteSqlRawAsync(sql, [cutoff, batchSize], cancellationToken);
            deleted += last;
            batches++;
        }
        while (last == batchSize);

        return new RetentionResult(rule.Name, rule.Table, deleted, batches);
    }
}
