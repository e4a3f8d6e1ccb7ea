using MassTransit;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace HcsLicensing.ServiceDefaults.Sagas;

/// <summary>Which database errors mean "another message got there first": retrying the message settles them.</summary>
internal static class SagaConflicts
{
    public static bool IsConflict(Exception exception) => exception switch
    {
        ConcurrencyException => true,
        // xmin no longer matches: the instance was updated since we loaded it.
        DbUpdateConcurrencyException => true,
        DbUpdateException { InnerException: PostgresException postgres } => IsConflictState(postgres.SqlState),
        PostgresException postgres => IsConflictState(postgres.SqlState),
        _ => false,
    };

    /// <summary>23505: the instance was created by a racing message; 40001/40P01: serialization failure or deadlock.</summary>
    public static bool IsConflictState(string sqlState) =>
        sqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected;
}
