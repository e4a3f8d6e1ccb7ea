using System.Net.Sockets;
using Npgsql;

namespace HcsLicensing.ServiceDefaults.Messaging;

/// <summary>
/// Tells an outage (the database unreachable, restarting or refusing connections; a connection timing out) from a
/// failure of the message itself. An outage says nothing about the message: it is waited out, however long it lasts
/// within the budget, instead of sending the message to its _error queue.
/// </summary>
public static class Outages
{
    public static bool IsOutage(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case NpgsqlException { IsTransient: true }:
                // Operator intervention (57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now) and the
                // connection exception class (08): what a server restarting or failing over answers.
                // 25006 (read-only transaction): a standby, or a primary being demoted, that the connection reached
                // during a failover; it takes writes again once the connection reaches the new primary.
                case PostgresException postgres when postgres.SqlState.StartsWith("57P", StringComparison.Ordinal) || postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
                    || postgres.SqlState == PostgresErrorCodes.ReadOnlySqlTransaction:
                case SocketException:
                case TimeoutException:
                    return true;
                case AggregateException aggregate when aggregate.InnerExceptions.Any(IsOutage):
                    return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Waits between attempts during an outage: from one second doubling to half a minute, then every half minute until
    /// <paramref name="budget"/> is spent.
    /// </summary>
    public static TimeSpan[] RetryIntervals(TimeSpan budget)
    {
        var intervals = new List<TimeSpan>();
        var total = TimeSpan.Zero;
        var next = TimeSpan.FromSeconds(1);
        while (total < budget)
        {
            intervals.Add(next);
            total += next;
            next = next * 2 > TimeSpan.FromSeconds(30) ? TimeSpan.FromSeconds(30) : next * 2;
        }

        return [.. intervals];
    }
}
