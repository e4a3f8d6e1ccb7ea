namespace HcsLicensing.ServiceDefaults.Retention;

/// <summary>
/// What one table keeps: rows matching <see cref="Predicate"/> are deleted once they are older than the rule's keep
/// time (<c>Retention:Keep:{Name}</c>, else <see cref="DefaultKeep"/>; zero keeps them forever).
/// </summary>
/// <param name="Name">The rule's name in configuration and logs, e.g. "FinishedJobs".</param>
/// <param name="Table">The table the rows are deleted from.</param>
/// <param name="Predicate">
/// SQL over the table's columns that selects prunable rows; <c>{0}</c> stands for the cutoff (now minus the keep time,
/// a timestamptz). It may name <paramref name="Table"/> to correlate a subquery with the row (a newer row of the same
/// account). Written by the service, never from input.
/// </param>
/// <param name="DefaultKeep">How long a row is kept past its own time when configuration says nothing.</param>
public sealed record RetentionRule(string Name, string Table, string Predicate, TimeSpan DefaultKeep)
{
    /// <summary>
    /// One batch: deletes up to <c>{1}</c> rows it could lock. ctid = ANY(ARRAY(...)) is a TID scan of exactly the locked
    /// rows (ctid IN (...) may read the whole table); SKIP LOCKED passes over rows another replica is deleting or a
    /// consumer is changing right now: the pruner waits for nobody, and whoever touches a row it locked waits one batch at most.
    /// </summary>
    public string BatchSql => $"DELETE FROM {Table} WHERE ctid = ANY(ARRAY(SELECT ctid FROM {Table} WHERE {Predicate} LIMIT {{1}} FOR UPDATE SKIP LOCKED))";
}

/// <summary>What one rule deleted in one pass, in how many batches.</summary>
public readonly record struct RetentionResult(string Rule, string Table, int Deleted, int Batches);
