using Npgsql;

namespace HcsLicensing.TestBed;

/// <summary>A PostgreSQL server on which each test gets a database of its own.</summary>
public sealed class PostgresServer(string adminConnectionString)
{
    /// <summary>Connection string to the server's maintenance database.</summary>
    public string AdminConnectionString { get; } = adminConnectionString;

    /// <summary>Creates an empty database with a unique name and returns a connection string to it.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix = "t", CancellationToken cancellationToken = default)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 33, 63)].ToLowerInvariant();
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name }.ConnectionString;
    }
}
