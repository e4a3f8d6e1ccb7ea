using System.Globalization;

namespace HcsLicensing.Benchmarks;

/// <summary>`drill [N=500] [--short] [--seed=S] [--cap=MIN]`: the reliability drill's size, fault lengths and limits.</summary>
internal sealed record DrillSettings
{
    public const string Usage =
        "drill [N=500] [--short] [--seed=S] [--cap=MIN]\n" +
        "  N          assignments (half published as ClusterAssignmentRequest, half by POST /clusters/{name}/assignment); --short: 60\n" +
        "  --short    the CI form: one SIGKILL per service, RabbitMQ away 10 s, PostgreSQL 20 s, UC publishers 503 for 15 s\n" +
        "  --seed=S   seed of the random UC delays (latency and restart per cluster); printed, so that a run can be repeated\n" +
        "  --cap=MIN  give up waiting for quiescence after MIN minutes (default 30; --short 12)";

    public int Jobs { get; init; } = 500;

    public bool Short { get; init; }

    public int Seed { get; init; } = Environment.TickCount & 0xFFFF;

    /// <summary>SIGKILLs per service, in turn: ClusterAssign, Chpa, JobTracker, SmartAccountSync, then again.</summary>
    public int KillsPerService => Short ? 1 : 2;

    /// <summary>How long a killed service stays down before it is started again.</summary>
    public TimeSpan DownAfterKill => TimeSpan.FromSeconds(Short ? 3 : 5);

    public TimeSpan BrokerOutage => TimeSpan.FromSeconds(Short ? 10 : 30);

    public TimeSpan DatabaseOutage => TimeSpan.FromSeconds(Short ? 20 : 90);

    public TimeSpan PublisherOutage => TimeSpan.FromSeconds(Short ? 15 : 60);

    /// <summary>Between the end of one fault (the server or service back) and the next.</summary>
    public TimeSpan BetweenFaults => TimeSpan.FromSeconds(Short ? 8 : 15);

    /// <summary>Longest publisher restart after a register, per cluster drawn from 1 s up to this (the UC simulator's RestartSeconds).</summary>
    public int MaxRestartSeconds => Short ? 4 : 10;

    /// <summary>How long nothing may move (no job running, no message in a queue) to call the suite quiescent.</summary>
    public TimeSpan QuietFor => TimeSpan.FromSeconds(Short ? 15 : 30);

    public TimeSpan? Cap { get; init; }

    public TimeSpan QuiescenceCap => Cap ?? TimeSpan.FromMinutes(Short ? 12 : 30);

    /// <summary>Reads the arguments after "drill"; throws ArgumentException with the usage when one is wrong.</summary>
    public static DrillSettings Parse(IReadOnlyList<string> arguments)
    {
        var settings = new DrillSettings();
        int? jobs = null;
        foreach (var argument in arguments)
        {
            var (name, value) = argument.StartsWith("--", StringComparison.Ordinal)
                ? (argument.Split('=', 2)[0], argument.Contains('=', StringComparison.Ordinal) ? argument.Split('=', 2)[1] : null)
                : (null, argument);
            switch (name)
            {
                case null when jobs is null && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 2:
                    jobs = n;
                    break;
                case "--short":
                    settings = settings with { Short = true };
                    break;
                case "--seed" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seed):
                    settings = settings with { Seed = seed };
                    break;
                case "--cap" when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var minutes) && minutes > 0:
                    settings = settings with { Cap = TimeSpan.FromMinutes(minutes) };
                    break;
                default:
                    throw new ArgumentException($"unknown or wrong argument '{argument}' (N is a whole number of at least 2)\n{Usage}");
            }
        }

        return settings with { Jobs = jobs ?? (settings.Short ? 60 : 500) };
    }
}
