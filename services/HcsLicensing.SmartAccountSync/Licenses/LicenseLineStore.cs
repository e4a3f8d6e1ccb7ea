using System.IO.Hashing;
using System.Text;
using Npgsql;
using NpgsqlTypes;

namespace HcsLicensing.SmartAccountSync.Licenses;

/// <summary>
/// Writes a smart account's license lines as CSSM reported them, rewriting only what changed. A re-sync usually finds
/// most of tens of thousands of lines as they were; copying them all again took most of a 10,000-VA sync. So each
/// stored line keeps a hash of its content: one read of (id, key, hash) for the smart account, then a DELETE of the
/// lines that are gone or changed and one COPY of those that are new or changed.
/// </summary>
public static class LicenseLineStore
{
    /// <summary>
    /// Makes the smart account's stored lines equal <paramref name="lines"/> (one per VA and license), in the caller's
    /// transaction. Lines written now carry <paramref name="now"/> as their synced_at; unchanged ones keep theirs.
    /// </summary>
    public static async Task<LicenseLineChanges> StoreAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid smartAccountId, IReadOnlyList<LicenseLine> lines, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var stored = await ReadStoredAsync(connection, transaction, smartAccountId, cancellationToken);
        var toWrite = new List<(LicenseLine Line, string Subscriptions, long Hash)>();
        var toDelete = new List<long>();
        var changed = 0;
        foreach (var line in lines)
        {
            var subscriptions = LicenseJson.Write(line.Subscriptions);
            var hash = ContentHash(line, subscriptions);
            if (stored.Remove((line.VirtualAccount, line.License), out var old))
            {
                if (old.Hash == hash)
                {
                    continue;
                }

                toDelete.Add(old.Id);
                changed++;
            }

            toWrite.Add((line, subscriptions, hash));
        }

        // What is left of the stored lines CSSM no longer reports (a removed VA's, a license gone from a VA).
        toDelete.AddRange(stored.Values.Select(s => s.Id));
        await DeleteAsync(connection, transaction, toDelete, cancellationToken);
        await CopyAsync(connection, smartAccountId, toWrite, now, cancellationToken);
        return new LicenseLineChanges(toWrite.Count - changed, changed, stored.Count);
    }

    /// <summary>
    /// A 64-bit hash of everything a line says (its key included): equal hashes mean nothing to rewrite. XxHash3 is
    /// made for this (fast, well spread, not for secrets); a collision among a smart account's lines is negligible.
    /// </summary>
    public static long ContentHash(LicenseLine line, string subscriptionsJson)
    {
        var text = string.Join('\u001f',
            line.VirtualAccount, line.License, line.Quantity, line.InUse, line.Available, line.Reserved, line.PendingQuantity,
            line.Status, line.BillingType, subscriptionsJson);
        return unchecked((long)XxHash3.HashToUInt64(Encoding.UTF8.GetBytes(text)));
    }

    private static async Task<Dictionary<(string VirtualAccount, string License), (long Id, long Hash)>> ReadStoredAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid smartAccountId, CancellationToken cancellationToken)
    {
        var stored = new Dictionary<(string, string), (long, long)>();
        await using var read = new NpgsqlCommand(
            "SELECT id, virtual_account, license, content_hash FROM license_lines WHERE smart_account_id = @account", connection, transaction);
        read.Parameters.Add(new NpgsqlParameter<Guid>("account", smartAccountId));
        await using var reader = await read.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            stored[(reader.GetString(1), reader.GetString(2))] = (reader.GetInt64(0), reader.GetInt64(3));
        }

        return stored;
    }

    private static async Task DeleteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, List<long> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return;
        }

        await using var delete = new NpgsqlCommand("DELETE FROM license_lines WHERE id = ANY(@ids)", connection, transaction);
        delete.Parameters.Add(new NpgsqlParameter<long[]>("ids", [.. ids]));
        await delete.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task CopyAsync(
        NpgsqlConnection connection, Guid smartAccountId, List<(LicenseLine Line, string Subscriptions, long Hash)> rows, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        await using var copy = await connection.BeginBinaryImportAsync(
            "COPY license_lines (smart_account_id, virtual_account, license, quantity, in_use, available, reserved, pending_quantity, status, billing_type, subscriptions, content_hash, synced_at) FROM STDIN (FORMAT BINARY)",
            cancellationToken);
        foreach (var (line, subscriptions, hash) in rows)
        {
            await copy.StartRowAsync(cancellationToken);
            await copy.WriteAsync(smartAccountId, NpgsqlDbType.Uuid, cancellationToken);
            await copy.WriteAsync(line.VirtualAccount, NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(line.License, NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(line.Quantity, NpgsqlDbType.Integer, cancellationToken);
            await copy.WriteAsync(line.InUse, NpgsqlDbType.Integer, cancellationToken);
            await copy.WriteAsync(line.Available, NpgsqlDbType.Integer, cancellationToken);
            await copy.WriteAsync(line.Reserved, NpgsqlDbType.Integer, cancellationToken);
            await copy.WriteAsync(line.PendingQuantity, NpgsqlDbType.Integer, cancellationToken);
            await copy.WriteAsync(line.Status, NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(line.BillingType, NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(subscriptions, NpgsqlDbType.Jsonb, cancellationToken);
            await copy.WriteAsync(hash, NpgsqlDbType.Bigint, cancellationToken);
            await copy.WriteAsync(now, NpgsqlDbType.TimestampTz, cancellationToken);
        }

        await copy.CompleteAsync(cancellationToken);
    }
}

/// <summary>What a store of license lines wrote: lines added, lines rewritten because CSSM changed them, lines removed.</summary>
public sealed record LicenseLineChanges(int Added, int Changed, int Removed);
