using System.Globalization;

namespace HcsLicensing.Benchmarks;

/// <summary>
/// `clusterassign N [rate] [--in-flight=K] [--http] [--chpa-poll=MS] [--uc-restart=S] [--outbox-poll=MS] [--warmup=W] [--vas=V] [--stall=S] [--steps] [--saturation-only] [--replicas=R] [--rabbitmq-nodes=B] [--env=KEY=VALUE]`.
/// </summary>
internal sealed record ClusterAssignSettings
{
    public const string Usage =
        "clusterassign [N=500] [rate] [--in-flight=128] [--http] [--chpa-poll=50] [--uc-restart=0] [--outbox-poll=MS] [--warmup=500] [--vas=10] [--stall=60] [--steps] [--saturation-only] [--replicas=1] [--rabbitmq-nodes=1] [--env=KEY=VALUE]...\n" +
        "  N                 assignments per phase (saturation, then paced); 2N + warmup clusters are added to CHPA's inventory\n" +
        "  rate              jobs/s of the paced phase; default half the saturation phase's sustained rate\n" +
        "  --in-flight=K     saturation phase: at most K jobs submitted and not yet ended\n" +
        "  --http            submit through POST /clusters/{name}/assignment instead of publishing ClusterAssignmentRequest\n" +
        "  --chpa-poll=MS    CHPA's Registration:PollInterval\n" +
        "  --uc-restart=S    how long each publisher restarts after a register (the UC simulator's RestartSeconds; default 0)\n" +
        "  --outbox-poll=MS     every service's Outbox:PollInterval (the outbox dispatcher's fallback wake-up; commits and due times wake it anyway); default the service's (1,000 ms)\n" +
        "  --warmup=W        jobs run first and not counted (JIT, connection pools; 50 left a fifth to a third of the services' CPU in the JIT)\n" +
        "  --vas=V           virtual accounts the assignments are spread over (round robin; at most 10)\n" +
        "  --stall=S         give up when no job ends for S seconds\n" +
        "  --steps           also subscribe to the job events (JobStepChanged, JobProgressed), to split each job's time by step (about 5 more deliveries per job, to the benchmark)\n" +
        "  --saturation-only no paced phase (e.g. for --in-flight=5000, where the saturation phase is the figure)\n" +
        "  --replicas=R      R processes of each of the four services (HTTP submissions spread over ClusterAssign's replicas)\n" +
        "  --rabbitmq-nodes=B  a cluster of B RabbitMQ nodes of the suite's own, quorum queues (as deployed); 1: the test bed's single node, classic queues\n" +
        "  --env=KEY=VALUE   added to the environment of all six processes, e.g. --env=DOTNET_gcServer=0 (repeatable)";

    public int Jobs { get; init; } = 500;

    /// <summary>The paced phase's rate; null: half the saturation phase's.</summary>
    public double? Rate { get; init; }

    public int InFlight { get; init; } = 128;

    public bool Http { get; init; }

    public TimeSpan ChpaPollInterval { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>The UC simulator's publisher restart after a register, in seconds.</summary>
    public int UcRestartSeconds { get; init; }

    /// <summary>Measure the saturation phase only.</summary>
    public bool SaturationOnly { get; init; }

    /// <summary>CHPA's Outbox:PollInterval; null leaves the service's default.</summary>
    public TimeSpan? SchedulerPollInterval { get; init; }

    public int Warmup { get; init; } = 500;

    /// <summary>Processes of each of the four services.</summary>
    public int Replicas { get; init; } = 1;

    /// <summary>RabbitMQ nodes; above 1 a cluster of the suite's own with quorum queues.</summary>
    public int RabbitMqNodes { get; init; } = 1;

    public int VirtualAccounts { get; init; } = 10;

    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Subscribe to the job events as well (JobStepChanged, JobProgressed), for the time of each step.</summary>
    public bool Steps { get; init; }

    /// <summary>Added to every suite process's environment (runtime knobs to compare, e.g. DOTNET_gcServer=0).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Reads the arguments after "clusterassign"; throws ArgumentException with the usage when one is wrong.</summary>
    public static ClusterAssignSettings Parse(IReadOnlyList<string> arguments)
    {
        var settings = new ClusterAssignSettings();
        var positional = 0;
        foreach (var argument in arguments)
        {
            var (name, value) = argument.StartsWith("--", StringComparison.Ordinal)
                ? (argument.Split('=', 2)[0], argument.Contains('=', StringComparison.Ordinal) ? argument.Split('=', 2)[1] : null)
                : (null, argument);
            settings = name switch
            {
                null when positional++ == 0 => settings with { Jobs = Positive(value, "N") },
                null when positional == 2 => settings with { Rate = PositiveNumber(value, "rate") },
                "--in-flight" => settings with { InFlight = Positive(value, name) },
                "--http" => settings with { Http = true },
                "--chpa-poll" => settings with { ChpaPollInterval = TimeSpan.FromMilliseconds(PositiveNumber(value, name)) },
                "--outbox-poll" => settings with { SchedulerPollInterval = TimeSpan.FromMilliseconds(PositiveNumber(value, name)) },
                "--warmup" => settings with { Warmup = NonNegative(value, name) },
                "--vas" => settings with { VirtualAccounts = Positive(value, name) },
                "--stall" => settings with { StallTimeout = TimeSpan.FromSeconds(PositiveNumber(value, name)) },
                "--steps" => settings with { Steps = true },
                "--uc-restart" => settings with { UcRestartSeconds = NonNegative(value, name) },
                "--saturation-only" => settings with { SaturationOnly = true },
                "--replicas" => settings with { Replicas = Positive(value, name) },
                "--rabbitmq-nodes" => settings with { RabbitMqNodes = Positive(value, name) },
                "--env" when value?.Split('=', 2) is [{ Length: > 0 } key, var setting] =>
                    settings with { Environment = new Dictionary<string, string>(settings.Environment) { [key] = setting } },
                _ => throw new ArgumentException($"unknown argument '{argument}'\n{Usage}"),
            };
        }

        return settings;
    }

    private static int Positive(string? value, string name) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0
            ? number
            : throw new ArgumentException($"{name} must be a whole number above 0, not '{value}'\n{Usage}");

    private static int NonNegative(string? value, string name) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new ArgumentException($"{name} must be a whole number, not '{value}'\n{Usage}");

    private static double PositiveNumber(string? value, string name) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number > 0
            ? number
            : throw new ArgumentException($"{name} must be a number above 0, not '{value}'\n{Usage}");
}
