using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Npgsql;

namespace HcsLicensing.ServiceDefaults.Database;

/// <summary>
/// One value from a raw SQL statement on the context's own connection, so inside its open transaction if it has one:
/// for claims that must be one statement (INSERT ... ON CONFLICT ... RETURNING), which EF Core cannot express.
/// </summary>
public static class RawScalar
{
    public static async Task<object?> ScalarAsync(this DatabaseFacade database, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand(sql, (NpgsqlConnection)database.GetDbConnection());
            foreach (var (name, value) in parameters)
            {
                command.Parameters.AddWithValue(name, value);
            }

            return await command.ExecuteScalarAsync(cancellationToken);
        }
        finally
        {
            await database.CloseConnectionAsync();
        }
    }
}
