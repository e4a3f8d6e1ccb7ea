using HcsLicensing.SmartAccountSync.Cssm;
using Npgsql;
using NpgsqlTypes;

namespace HcsLicensing.SmartAccountSync.Sync;

/// <summary>
/// Writes a smart account's VA list in one round trip: the list travels as four arrays, unnest() turns them into rows,
/// INSERT ... ON CONFLICT adds new VAs and updates changed ones (unchanged rows are not rewritten), and
/// <c>name &lt;&gt; ALL(@names)</c> marks the VAs CSSM no longer lists: PostgreSQL 15 hashes that array, whereas a NOT EXISTS
/// against the unnest() rows got a nested loop (the planner guesses unnest() is small) and took 19 s for 10,000 VAs.
/// 10,000 VAs take well under a second in all; see benchmarks/HcsLicensing.SmartAccountSync.Benchmark.
/// </summary>
public static class VirtualAccountStore
{
    private const string UpsertSql = """
        WITH incoming AS (
            SELECT * FROM unnest(@names, @descriptions, @defaults, @levels) AS t(name, description, is_default, commerce_access_level)
        ), upserted AS (
            INSERT INTO virtual_accounts AS v (smart_account_id, name, description, is_default, commerce_access_level, first_synced_at, updated_at)
            SELECT @account, name, description, is_default, commerce_access_level, @now, @now FROM incoming
            ON CONFLICT (smart_account_id, name) DO UPDATE
               SET description = EXCLUDED.description, is_default = EXCLUDED.is_default,
                   commerce_access_level = EXCLUDED.commerce_access_level, updated_at = EXCLUDED.updated_at, removed_at = NULL
             WHERE v.removed_at IS NOT NULL
                OR (v.description, v.is_default, v.commerce_access_level) IS DISTINCT FROM (EXCLUDED.description, EXCLUDED.is_default, EXCLUDED.commerce_access_level)
            RETURNING (xmax = 0) AS inserted
        ), removed AS (
            UPDATE virtual_accounts v SET removed_at = @now, updated_at = @now
             WHERE v.smart_account_id = @account AND v.removed_at IS NULL
               AND v.name <> ALL (@names)
            RETURNING 1
        )
        SELECT (SELECT count(*) FILTER (WHERE inserted) FROM upserted)::int,
               (SELECT count(*) FILTER (WHERE NOT inserted) FROM upserted)::int,
               (SELECT count(*) FROM removed)::int
        """;

    /// <summary>
    /// Upserts <paramref name="active"/> (satellite-synced VAs already left out) for the smart account and marks the others
    /// removed, in the caller's transaction. Returns what changed.
    /// </summary>
    public static async Task<UpsertCounts> UpsertAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid smartAccountId, IReadOnlyList<SwapiVirtualAccount> active, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(UpsertSql, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter("names", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = active.Select(v => v.Name).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("descriptions", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = active.Select(v => v.Description ?? "").ToArray() });
        command.Parameters.Add(new NpgsqlParameter("defaults", NpgsqlDbType.Array | NpgsqlDbType.Boolean) { Value = active.Select(v => v.IsDefault).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("levels", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = active.Select(v => NormalizeLevel(v.CommerceAccessLevel)).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<Guid>("account", smartAccountId));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("now", NpgsqlDbType.TimestampTz) { TypedValue = now });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new UpsertCounts(reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2));
    }

    /// <summary>PUBLIC or PRIVATE in upper case; anything else CSSM might send is kept as given.</summary>
    public static string NormalizeLevel(string? level) => string.IsNullOrWhiteSpace(level) ? "PUBLIC" : level.Trim().ToUpperInvariant();
}

/// <summary>What one upsert changed.</summary>
public sealed record UpsertCounts(int Added, int Updated, int Removed);
