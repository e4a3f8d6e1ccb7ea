namespace HcsLicensing.TestBed.Suite;

/// <summary>
/// How an <see cref="HcsSuite"/> is started: the simulators' seed and knobs, and what to add to each process's
/// environment. <see cref="Fast"/> is for tests (nothing waits for a simulated delay), <see cref="Realistic"/> for
/// benchmarks and demos (delays of the order the real CSSM and a real CUCM publisher take).
/// </summary>
public sealed record SuiteOptions
{
    /// <summary>Virtual accounts the CSSM simulator seeds in its one smart account (HCS-CUST-0001 ...).</summary>
    public int VirtualAccounts { get; init; } = 50;

    /// <summary>Share of those VAs synced via satellite (every tenth at 0.1, never the first); SmartAccountSync skips them.</summary>
    public double SatelliteShare { get; init; } = 0.1;

    /// <summary>Clusters the UC simulator generates (hcs-cl-0001 ...); <see cref="HcsSuite.TakeClusterNames"/> hands them out.</summary>
    public int Clusters { get; init; } = 200;

    /// <summary>CSSM simulator: delay added to every token and swapi call (Cssm:Faults:LatencyMs).</summary>
    public int CssmLatencyMs { get; init; }

    /// <summary>UC simulator: delay before every publisher's answer (UcSimulator:Knobs:LatencyMs).</summary>
    public int UcLatencyMs { get; init; }

    /// <summary>UC simulator: how long a publisher restarts after a register, i.e. how long a registration takes (UcSimulator:Knobs:RestartSeconds).</summary>
    public int UcRestartSeconds { get; init; }

    /// <summary>
    /// CHPA: time between two status reads of a registering publisher (Registration:PollInterval). Not a simulator knob,
    /// but with a publisher restart near zero the default 5 s poll would be all a registration waits for.
    /// </summary>
    public TimeSpan ChpaRegistrationPollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Log level of every process (Logging:LogLevel:Default); their output is kept and shown when one fails.</summary>
    public string LogLevel { get; init; } = "Warning";

    /// <summary>Added to every process's environment, e.g. OTEL_EXPORTER_OTLP_ENDPOINT for a tracing test.</summary>
    public IReadOnlyDictionary<string, string> CommonEnvironment { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Added to one process's environment after everything the suite sets, so it overrides it, e.g.
    /// <c>[SuiteService.Chpa] = { ["Registration__Deadline"] = "00:00:05" }</c> to shorten a timeout.
    /// </summary>
    public IReadOnlyDictionary<SuiteService, IReadOnlyDictionary<string, string>> Environment { get; init; } =
        new Dictionary<SuiteService, IReadOnlyDictionary<string, string>>();

    /// <summary>
    /// Start the operator console too (<see cref="SuiteService.Console"/>), with the issuer knowing its client and the
    /// operators of <see cref="SuiteConsole"/>. Off by default: only browser tests need it.
    /// </summary>
    public bool WithConsole { get; init; }

    /// <summary>
    /// Processes of each of the four services (JobTracker, SmartAccountSync, Chpa, ClusterAssign), each on a port of its
    /// own (<see cref="HcsSuite.AddressOf(SuiteService, int)"/>); the issuer, the simulators and the console run once.
    /// </summary>
    public int Replicas { get; init; } = 1;

    /// <summary>
    /// RabbitMQ nodes: 1 uses the test bed's broker; more start a cluster of that many local nodes for this suite
    /// (<see cref="HcsSuite.RabbitMqCluster"/>) and run the services with quorum queues, as deploy/ does.
    /// </summary>
    public int RabbitMqNodes { get; init; } = 1;

    /// <summary>How long each process may take to answer its readiness probe, at start and at every restart.</summary>
    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>
    /// Which build to run ("Debug", "Release"); null runs the one this test or benchmark was built in (its
    /// bin/&lt;Configuration&gt;/&lt;TargetFramework&gt; folder), so that `dotnet test` and `-c Release` both run what they built.
    /// </summary>
    public string? BuildConfiguration { get; init; }

    /// <summary>Where each process's assembly is, instead of services/ and simulators/ under the repository (rarely needed).</summary>
    public Func<SuiteService, string>? AssemblyPath { get; init; }

    /// <summary>
    /// Run copies of the build outputs taken once per test process (the default), so that someone rebuilding the
    /// services meanwhile neither overwrites a running process's files nor makes a restart run other code.
    /// </summary>
    public bool SnapshotBuilds { get; init; } = true;

    /// <summary>Keep the suite's databases after DisposeAsync (to look at them after a failure); dropped otherwise.</summary>
    public bool KeepDatabases { get; init; }

    /// <summary>The broker and database server; null takes the test assembly's <see cref="SharedTestServers"/>.</summary>
    public TestServers? Servers { get; init; }

    /// <summary>Simulators that answer at once and registrations that finish as soon as CHPA polls: for tests.</summary>
    public static SuiteOptions Fast => new();

    /// <summary>
    /// Delays of the order production sees (swapi answers in a few hundred ms, a publisher in tens of ms and restarts
    /// for about 20 s after a register, CHPA polls every 5 s) and HCS-sized seeds: for benchmarks and demos.
    /// </summary>
    public static SuiteOptions Realistic => new()
    {
        VirtualAccounts = 1285,
        Clusters = 3000,
        CssmLatencyMs = 200,
        UcLatencyMs = 30,
        UcRestartSeconds = 20,
        ChpaRegistrationPollInterval = TimeSpan.FromSeconds(5),
    };
}
