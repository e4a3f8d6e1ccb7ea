using Npgsql;

namespace HcsLicensing.Benchmarks;

/// <summary>
/// PostgreSQL's counts at one moment: committed transactions per database (pg_stat_database.xact_commit, which counts
/// read-only ones too) and rows inserted, updated or deleted per database, the next transaction id (transactions that wrote something, server-wide: each took an xid;
/// reading it takes none), WAL bytes written and WAL fsyncs (pg_stat_wal). pg_stat_* figures reach the shared
/// statistics up to 10 s after a backend goes idle (PostgreSQL 15), so a snapshot meant to include a phase is taken
/// after <see cref="StatisticsLag"/>; the xid and the WAL position are exact at once.
/// </summary>
internal sealed record PostgresStats(IReadOnlyDictionary<string, long> Commits, IReadOnlyDictionary<string, long> RowsWritten, long NextXid, decimal WalLsnBytes, long WalSyncs)
{
    public static readonly TimeSpan StatisticsLag = TimeSpan.FromSeconds(11);

    /// <summary>Counts now; <paramref name="databases"/> maps a label (the service) to its database name.</summary>
    public static async Task<PostgresStats> TakeAsync(string adminConnectionString, IReadOnlyDictionary<string, string> databases)
    {
        await using var connection = new NpgsqlConnection(adminConnectionString);
        await connection.OpenAsync();
        var commits = new Dictionary<string, long>();
        var rowsWritten = new Dictionary<string, long>();
        await using (var command = new NpgsqlCommand("SELECT datname, xact_commit, tup_inserted + tup_updated + tup_deleted FROM pg_stat_database WHERE datname = ANY(@names)", connection))
        {
            command.Parameters.AddWithValue("names", databases.Values.ToArray());
            await using var reader = await command.ExecuteReaderAsync();
            var labels = databases.ToDictionary(pair => pair.Value, pair => pair.Key);
            while (await reader.ReadAsync())
            {
                commits[labels[reader.GetString(0)]] = reader.GetInt64(1);
                rowsWritten[labels[reader.GetString(0)]] = reader.GetInt64(2);
            }
        }

        await using (var command = new NpgsqlCommand(
            "SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint, pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0'), (SELECT wal_sync FROM pg_stat_wal)",
            connection))
        {
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            return new PostgresStats(commits, rowsWritten, reader.GetInt64(0), reader.GetDecimal(1), reader.GetInt64(2));
        }
    }

    public PostgresDelta Since(PostgresStats before) => new(
        Commits.ToDictionary(pair => pair.Key, pair => pair.Value - before.Commits.GetValueOrDefault(pair.Key)),
        RowsWritten.ToDictionary(pair => pair.Key, pair => pair.Value - before.RowsWritten.GetValueOrDefault(pair.Key)),
        NextXid - before.NextXid,
        (double)(WalLsnBytes - before.WalLsnBytes),
        WalSyncs - before.WalSyncs);
}

/// <summary>What happened between two <see cref="PostgresStats"/>.</summary>
internal sealed record PostgresDelta(IReadOnlyDictionary<string, long> Commits, IReadOnlyDictionary<string, long> RowsWritten, long WriteTransactions, double WalBytes, long WalSyncs)
{
    public long AllCommits => Commits.Values.Sum();
}
