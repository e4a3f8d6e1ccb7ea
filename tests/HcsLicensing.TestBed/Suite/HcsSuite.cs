using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HcsLicensing.ServiceDefaults.Security;
using HcsLicensing.TestBed.Security;
using Npgsql;

namespace HcsLicensing.TestBed.Suite;

/// <summary>
/// The whole HcsLicensing suite for end-to-end tests, benchmarks and tracing tests: the token issuer (Identity), the CSSM
/// and UC simulators and the four services, each an OS process of its own (as deployed: nothing shared in memory), on the test bed's RabbitMQ
/// and PostgreSQL. Each suite has its own databases and its own queue-name prefix, so several suites (and the other
/// tests of the assembly) share one broker and one database server without seeing each other's data or messages.
/// Any process can be killed (SIGKILL, a crash) and started again on the same database, prefix and port.
/// </summary>
/// <example><code>
/// await using var suite = await HcsSuite.StartAsync(SuiteOptions.Fast);
/// var account = await suite.ConfigureSmartAccountAsync();
/// await suite.AddClustersToInventoryAsync(suite.TakeClusterNames(3));
/// await suite.KillAsync(SuiteService.Chpa);
/// await suite.StartAsync(SuiteService.Chpa);
/// </code></example>
public sealed class HcsSuite : IAsyncDisposable
{
    /// <summary>The smart account the CSSM simulator is seeded with, and the API client granted it.</summary>
    public const string SmartAccountDomain = "hcs-demo.example.com";

    public const string SmartAccountName = "HCS-DEMO";
    public const string CssmClientId = "hcs-demo-client";
    public const string CssmClientSecret = "hcs-demo-secret";

    /// <summary>Generated VA names: HCS-CUST-0001 ...; the first is CSSM's default VA.</summary>
    public const string VirtualAccountPrefix = "HCS-CUST";

    /// <summary>Generated UC cluster names: hcs-cl-0001 ... with publisher hcs-cl-0001-pub.hcs.example.</summary>
    public const string ClusterPrefix = "hcs-cl";

    // The UC simulator's generated clusters have passwords "<base>-<number>"; the suite sets the bases, so it knows them.
    private const string ManagementUserName = "ccmadministrator";
    private const string ManagementPasswordBase = "suite-mgmt";
    private const string PlatformUserName = "osadmin";
    private const string PlatformPasswordBase = "suite-platform";

    /// <summary>The suite's client of its issuer, allowed every permission; clients from <see cref="CreateClient(SuiteService, TimeSpan?)"/> use it.</summary>
    public const string IssuerClientId = "hcs-suite";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly TimeSpan RestartPortRetry = TimeSpan.FromSeconds(15);

    private readonly Dictionary<SuiteService, SuiteProcess> _processes;
    private readonly Dictionary<SuiteService, List<SuiteProcess>> _replicas;
    private readonly Dictionary<SuiteService, string> _databases;
    private readonly Dictionary<SuiteService, HttpClient> _clients;
    private int _nextCluster;
    private int _disposed;

    private HcsSuite(
        SuiteOptions options, TestServers servers, string prefix, Dictionary<SuiteService, SuiteProcess> processes, Dictionary<SuiteService, List<SuiteProcess>> replicas,
        LocalRabbitMqCluster? rabbitMqCluster, Dictionary<SuiteService, string> databases, string keyDirectory, string issuerSecret)
    {
        Options = options;
        Servers = servers;
        EndpointPrefix = prefix;
        _processes = processes;
        _replicas = replicas;
        RabbitMqCluster = rabbitMqCluster;
        _databases = databases;
        IssuerKeyDirectory = keyDirectory;
        Tokens = new IssuerTokens(() => AddressOf(SuiteService.Identity), IssuerClientId, issuerSecret);
        _clients = processes.Keys.ToDictionary(service => service, service => CreateClient(service));
    }

    public SuiteOptions Options { get; }

    /// <summary>Tokens of the suite's issuer, of any permissions (e.g. none, or hcs.read only, to check a refusal).</summary>
    public IssuerTokens Tokens { get; }

    /// <summary>Where the issuer keeps its signing certificate (kept across its restarts; deleted with the suite).</summary>
    public string IssuerKeyDirectory { get; }

    public TestServers Servers { get; }

    /// <summary>
    /// The RabbitMQ cluster the suite started for itself when <see cref="SuiteOptions.RabbitMqNodes"/> is more than one
    /// (its services then declare quorum queues and know every node); null when they use <see cref="Servers"/>' broker.
    /// </summary>
    public LocalRabbitMqCluster? RabbitMqCluster { get; }

    /// <summary>Where the four services' broker is: the suite's own cluster's first node, else the test bed's broker.</summary>
    public RabbitMqEndpoint RabbitMq => RabbitMqCluster?.Endpoint ?? Servers.RabbitMq;

    /// <summary>Messaging:EndpointPrefix of all four services, e.g. "suite-1a2b3c-": their queues all start with it.</summary>
    public string EndpointPrefix { get; }

    /// <summary>
    /// How long <see cref="StartAsync(SuiteOptions?, CancellationToken)"/> took to get all seven ready, from the moment the
    /// test bed's servers were there (their own start, once per test assembly, is not counted).
    /// </summary>
    public TimeSpan StartupTime { get; private set; }

    /// <summary>When each process answered its readiness probe, counted from the start of <see cref="StartAsync(SuiteOptions?, CancellationToken)"/>.</summary>
    public IReadOnlyDictionary<SuiteService, TimeSpan> ReadyAfter { get; private set; } = new Dictionary<SuiteService, TimeSpan>();

    /// <summary>
    /// Starts the seven processes: the issuer, then the six others all at once. Every port is chosen before any process
    /// starts, so each can be told where the others will be and none has to wait for another (a service only calls the
    /// others on demand; the databases and the broker exist already). Migrations run as each service starts.
    /// </summary>
    public static async Task<HcsSuite> StartAsync(SuiteOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= SuiteOptions.Fast;
        // The test bed's servers are shared and started once per assembly (about 15 s locally): not the suite's time.
        var servers = options.Servers ?? await SharedTestServers.GetAsync();
        var clock = Stopwatch.StartNew();
        var id = Guid.NewGuid().ToString("N")[..6];
        var prefix = $"suite-{id}-";

        var owningDatabase = new[] { SuiteService.Identity, SuiteService.JobTracker, SuiteService.SmartAccountSync, SuiteService.Chpa, SuiteService.ClusterAssign };
        var databaseTasks = owningDatabase.ToDictionary(
            service => service,
            service => servers.Postgres.CreateDatabaseAsync($"suite_{id}_{service.ToString().ToLowerInvariant()}", cancellationToken));
        var members = SuiteConsole.Members(options);
        var assemblyTasks = members.ToDictionary(service => service, service => SuiteBuilds.AssemblyPathAsync(service, options));
        try
        {
            await Task.WhenAll([.. databaseTasks.Values, .. assemblyTasks.Values]);
        }
        catch
        {
            // E.g. a service not built: the databases created meanwhile go again.
            await DropDatabasesAsync(servers, databaseTasks.Values.Where(task => task.IsCompletedSuccessfully).Select(task => task.Result));
            throw;
        }

        var databases = databaseTasks.ToDictionary(pair => pair.Key, pair => pair.Value.Result);
        LocalRabbitMqCluster? cluster = null;
        if (options.RabbitMqNodes > 1)
        {
            try
            {
                cluster = await LocalRabbitMqCluster.StartAsync(options.RabbitMqNodes, cancellationToken);
            }
            catch
            {
                await DropDatabasesAsync(servers, databases.Values);
                throw;
            }
        }

        var prepared = clock.Elapsed;
        var keyDirectory = Path.Combine(Path.GetTempPath(), $"hcs-suite-{id}-keys");
        var issuerSecret = Guid.NewGuid().ToString("N");

        // A port chosen free can still be taken by someone else's listener before our process binds it. Then every
        // process starts again on new ports: the others were already told the old address.
        for (var attempt = 1; ; attempt++)
        {
            var ports = members.ToDictionary(service => service, _ => SuitePorts.Next());
            var processes = members.ToDictionary(
                service => service,
                service => new SuiteProcess(service, assemblyTasks[service].Result, ReadyPath(service), ports[service], EnvironmentFor(service, options, servers, cluster, prefix, databases, ports, keyDirectory, issuerSecret)));
            // Replicas 1..N-1 of the four services: the same settings on ports of their own (the others are told replica 0's URL).
            var replicas = processes.Values.Where(process => IsApi(process.Service)).ToDictionary(
                process => process.Service,
                process => Enumerable.Range(1, Math.Max(0, options.Replicas - 1))
                    .Select(replica => new SuiteProcess(process.Service, assemblyTasks[process.Service].Result, ReadyPath(process.Service), SuitePorts.Next(), ReplicaEnvironment(process, replica)))
                    .ToList());
            var everyProcess = processes.Values.Concat(replicas.Values.SelectMany(list => list)).ToList();
            var readyAfter = new ConcurrentDictionary<SuiteService, TimeSpan>();
            async Task Start(SuiteProcess process)
            {
                await process.StartAsync(options.ReadyTimeout, TimeSpan.FromSeconds(2), mayMove: false, cancellationToken);
                readyAfter[process.Service] = clock.Elapsed;
            }

            // The issuer first: every service is told its URL and fetches its keys on the first request with a token.
            var issuer = Start(processes[SuiteService.Identity]);
            var starts = everyProcess.Select(async process =>
            {
                if (process.Service == SuiteService.Identity)
                {
                    await issuer;
                    return;
                }

                await issuer;
                await Start(process);
            }).ToList();
            try
            {
                await Task.WhenAll(starts);
            }
            catch (Exception) when (starts.Any(start => start.Exception?.InnerException is SuitePortTakenException) && attempt < 3)
            {
                await Task.WhenAll(everyProcess.Select(process => process.DisposeAsync().AsTask()));
                continue;
            }
            catch
            {
                // Tell every failure (not only the first), then leave nothing behind: processes and databases.
                var failures = starts.Where(start => start.IsFaulted).Select(start => start.Exception!.InnerException!.Message);
                await Task.WhenAll(everyProcess.Select(process => process.DisposeAsync().AsTask()));
                await DropDatabasesAsync(servers, databases.Values);
                if (cluster is not null)
                {
                    await cluster.DisposeAsync();
                }

                cancellationToken.ThrowIfCancellationRequested();
                throw new InvalidOperationException("HcsSuite did not start:\n" + string.Join("\n\n", failures));
            }

            var suite = new HcsSuite(options, servers, prefix, processes, replicas, cluster, databases, keyDirectory, issuerSecret)
            {
                StartupTime = clock.Elapsed,
                ReadyAfter = readyAfter.ToDictionary(pair => pair.Key, pair => pair.Value),
            };
            await Console.Out.WriteLineAsync(
                $"HcsSuite {prefix} started in {suite.StartupTime.TotalSeconds:F1} s (databases and builds {prepared.TotalSeconds:F1} s; " +
                string.Join(", ", suite.ReadyAfter.OrderBy(pair => pair.Value).Select(pair => $"{pair.Key} {pair.Value.TotalSeconds:F1} s")) + ")");
            return suite;
        }
    }

    /// <summary>Where the process listens, e.g. http://127.0.0.1:23456/. Stays the same across restarts unless its port was taken meanwhile.</summary>
    public Uri AddressOf(SuiteService service) => Process(service).Address;

    /// <summary>How many processes run <paramref name="service"/>: <see cref="SuiteOptions.Replicas"/> for the four services, else 1.</summary>
    public int ReplicasOf(SuiteService service) => 1 + (_replicas.TryGetValue(service, out var more) ? more.Count : 0);

    /// <summary>Where replica <paramref name="replica"/> (0 to <see cref="ReplicasOf"/> - 1) of the service listens.</summary>
    public Uri AddressOf(SuiteService service, int replica) => Replica(service, replica).Address;

    /// <summary>Kills one replica (SIGKILL, as a crash); the others go on.</summary>
    public Task KillAsync(SuiteService service, int replica) => Replica(service, replica).KillAsync();

    /// <summary>Starts a killed replica again, on its port, and waits until it is ready.</summary>
    public Task StartAsync(SuiteService service, int replica, CancellationToken cancellationToken = default) =>
        Replica(service, replica).StartAsync(Options.ReadyTimeout, RestartPortRetry, mayMove: true, cancellationToken);

    /// <summary>
    /// An HttpClient for one replica (dispose it), with a token of every permission, like
    /// <see cref="CreateClient(SuiteService, TimeSpan?)"/> for replica 0.
    /// </summary>
    public HttpClient CreateClient(SuiteService service, int replica, TimeSpan? timeout = null) =>
        CreateClient(Replica(service, replica), IsApi(service) ? HcsPermissions.All : null, timeout);

    /// <summary>The connection string of the service's own database; null for the simulators, which keep everything in memory.</summary>
    public string? DatabaseOf(SuiteService service) => _databases.GetValueOrDefault(service);

    /// <summary>The environment the process runs with (besides what it inherits), e.g. to start a second replica like it.</summary>
    public IReadOnlyDictionary<string, string> EnvironmentOf(SuiteService service) => Process(service).Environment;

    /// <summary>The built assembly the process runs, e.g. to start a second replica of it with <see cref="ServiceProcess"/>.</summary>
    public string AssemblyPathOf(SuiteService service) => Process(service).AssemblyPath;

    /// <summary>Everything the process wrote, over all its runs (the latest 512 KB), for a failing test's message.</summary>
    public string OutputOf(SuiteService service) => Process(service).Output;

    /// <summary>Everything replica <paramref name="replica"/> of the service wrote, like <see cref="OutputOf(SuiteService)"/>.</summary>
    public string OutputOf(SuiteService service, int replica) => Replica(service, replica).Output;

    public bool IsRunning(SuiteService service) => Process(service).IsRunning;

    /// <summary>
    /// An HttpClient for the process (dispose it), sending a token with all three permissions to the four services. It
    /// follows the process if a restart had to move it to another port. Connections fail fast (5 s) while the process is down.
    /// </summary>
    public HttpClient CreateClient(SuiteService service, TimeSpan? timeout = null) =>
        CreateClient(service, IsApi(service) ? HcsPermissions.All : null, timeout);

    /// <summary>
    /// An HttpClient whose token grants exactly <paramref name="permissions"/> (empty: a valid token without any
    /// permission); null sends no token at all.
    /// </summary>
    public HttpClient CreateClient(SuiteService service, IEnumerable<string>? permissions, TimeSpan? timeout = null) =>
        CreateClient(Process(service), permissions, timeout);

    private HttpClient CreateClient(SuiteProcess process, IEnumerable<string>? permissions, TimeSpan? timeout)
    {
        HttpMessageHandler handler = new FollowProcessHandler(process) { InnerHandler = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(5) } };
        if (permissions is not null)
        {
            var bearer = Tokens.CreateHandler(permissions);
            bearer.InnerHandler = handler;
            handler = bearer;
        }

        return new HttpClient(handler) { BaseAddress = process.Address, Timeout = timeout ?? TimeSpan.FromSeconds(60) };
    }

    /// <summary>The four services, whose HTTP APIs need a token (the issuer and the simulators do not).</summary>
    public static bool IsApi(SuiteService service) => service is SuiteService.JobTracker or SuiteService.SmartAccountSync or SuiteService.Chpa or SuiteService.ClusterAssign;

    /// <summary>Kills the process and what it spawned with SIGKILL, as a crash would (no shutdown code runs), and waits until it is gone.</summary>
    public Task KillAsync(SuiteService service) => Process(service).KillAsync();

    /// <summary>
    /// Starts a stopped process again with the same environment: same database, queue prefix and port, so the URLs the
    /// other processes were given stay valid. Returns once it is ready. If the port stays taken by someone else for
    /// 15 s, the process moves to a new port: <see cref="AddressOf"/> and clients from <see cref="CreateClient"/> follow,
    /// but processes configured with its URL keep the old one (a warning says so on stderr). A restarted simulator
    /// starts from its seed again: CSSM forgets issued tokens and product instances, the UC simulator every change.
    /// </summary>
    public Task StartAsync(SuiteService service, CancellationToken cancellationToken = default) =>
        Process(service).StartAsync(Options.ReadyTimeout, RestartPortRetry, mayMove: true, cancellationToken);

    /// <summary><see cref="KillAsync"/>, then <see cref="StartAsync(SuiteService, CancellationToken)"/>.</summary>
    public async Task RestartAsync(SuiteService service, CancellationToken cancellationToken = default)
    {
        await KillAsync(service);
        await StartAsync(service, cancellationToken);
    }

    /// <summary>
    /// Connects the CSSM simulator's smart account through SmartAccountSync's API (as an operator would, with the seeded
    /// client id and secret), then waits until its sync job has Succeeded in JobTracker. Throws if it failed or did not
    /// end in time. Calling it again re-configures the account and waits for that new sync.
    /// </summary>
    public async Task<SmartAccountInfo> ConfigureSmartAccountAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var sync = _clients[SuiteService.SmartAccountSync];
        using var response = await sync.PostAsJsonAsync(
            new Uri("smart-accounts", UriKind.Relative),
            new { domain = SmartAccountDomain, clientId = CssmClientId, clientSecret = CssmClientSecret },
            Json,
            cancellationToken);
        if (response.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.OK))
        {
            throw new InvalidOperationException($"SmartAccountSync refused the smart account: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }

        var configured = (await response.Content.ReadFromJsonAsync<ConfiguredDto>(Json, cancellationToken))!;
        var job = await WaitForJobAsync(configured.SyncJobId, timeout ?? TimeSpan.FromSeconds(60), cancellationToken);
        if (job.Status != "Succeeded")
        {
            throw new InvalidOperationException(
                $"the sync of {SmartAccountDomain} ended {job.Status} at {job.FailedStep}: {job.ErrorDescription}\n{Tail(OutputOf(SuiteService.SmartAccountSync))}");
        }

        var page = (await sync.GetFromJsonAsync<PageDto<NamedDto>>(
            new Uri($"virtual-accounts?smartAccount={Uri.EscapeDataString(SmartAccountDomain)}&pageSize=10", UriKind.Relative), Json, cancellationToken))!;
        var accounts = (await _clients[SuiteService.CssmSimulator].GetFromJsonAsync<List<CssmAccountDto>>(new Uri("sim/inspect/smart-accounts", UriKind.Relative), Json, cancellationToken))!;
        var satellite = accounts.Single(a => string.Equals(a.Domain, SmartAccountDomain, StringComparison.OrdinalIgnoreCase)).SatelliteSyncedNames.FirstOrDefault();
        return new SmartAccountInfo(
            configured.SmartAccount.Id,
            SmartAccountDomain,
            configured.SmartAccount.Name,
            configured.SyncJobId,
            job,
            page.TotalCount,
            [.. page.Items.Select(va => va.Name)],
            satellite);
    }

    /// <summary>JobTracker's view of a job (GET /jobs/{id}); null while JobTracker does not know it (yet).</summary>
    public async Task<SuiteJob?> GetJobAsync(Guid jobId, CancellationToken cancellationToken = default)
    {
        using var response = await _clients[SuiteService.JobTracker].GetAsync(new Uri($"jobs/{jobId}", UriKind.Relative), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<SuiteJob>(Json, cancellationToken);
    }

    /// <summary>
    /// Polls JobTracker until the job has ended (Succeeded, Failed, Canceled) and settled (<see cref="SuiteJob.HasSettled"/>);
    /// throws TimeoutException with its last state if it has not ended by the deadline.
    /// </summary>
    /// <remarks>
    /// JobTracker applies a job's events in whatever order RabbitMQ delivers them (docs/jobs.md), so a job can show
    /// Succeeded while its entity name is still "(not yet known)": here a sync's JobCreated was seen to land after its
    /// JobSucceeded, and a job already done showed Succeeded while a step's Not Applicable was still on its way. Waiting
    /// for all of it keeps assertions on the whole job stable. A job that ended but never settles is returned as it is
    /// at the deadline, for the test's assertions to name what is missing.
    /// </remarks>
    public async Task<SuiteJob> WaitForJobAsync(Guid jobId, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        SuiteJob? job;
        while (true)
        {
            job = await GetJobAsync(jobId, cancellationToken);
            if (job is { HasSettled: true })
            {
                return job;
            }

            if (DateTime.UtcNow > deadline)
            {
                if (job?.HasEnded == true)
                {
                    return job;
                }

                throw new TimeoutException(job is null
                    ? $"JobTracker never heard of job {jobId} within {timeout}"
                    : $"job {jobId} ({job.Description}) still {job.Status} after {timeout}: {string.Join(", ", job.ProgressInfo.Select(s => $"{s.Step} - {s.Status}"))}");
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>
    /// Names of UC simulator clusters no earlier call of this suite handed out, each unregistered and on a version HCM-F
    /// can register (the generated clusters whose number is a multiple of 5 start registered, on 11.5, and are skipped).
    /// Types vary: CUCM, CUCXN, IMP, UCCX, CER, EXPRESSWAY in turn.
    /// </summary>
    public IReadOnlyList<string> TakeClusterNames(int count)
    {
        var names = new List<string>(count);
        while (names.Count < count)
        {
            var number = Interlocked.Increment(ref _nextCluster);
            if (number > Options.Clusters)
            {
                throw new InvalidOperationException($"the UC simulator has only {Options.Clusters} clusters (SuiteOptions.Clusters)");
            }

            if (number % 5 != 0)
            {
                names.Add(ClusterName(number));
            }
        }

        return names;
    }

    /// <summary>The name of the UC simulator's generated cluster number <paramref name="number"/> (1-based): hcs-cl-0001.</summary>
    public static string ClusterName(int number) => $"{ClusterPrefix}-{number.ToString("D4", CultureInfo.InvariantCulture)}";

    /// <summary>The management and platform credentials of a generated cluster, as the suite seeded them.</summary>
    public static (UcCredentials Management, UcCredentials Platform) ClusterCredentials(string name)
    {
        if (!name.StartsWith(ClusterPrefix + "-", StringComparison.OrdinalIgnoreCase)
            || !int.TryParse(name.AsSpan(ClusterPrefix.Length + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            throw new ArgumentException($"{name} is not one of the UC simulator's generated clusters ({ClusterPrefix}-0001 ...)", nameof(name));
        }

        var suffix = number.ToString("D4", CultureInfo.InvariantCulture);
        return (new UcCredentials(ManagementUserName, $"{ManagementPasswordBase}-{suffix}"), new UcCredentials(PlatformUserName, $"{PlatformPasswordBase}-{suffix}"));
    }

    /// <summary>
    /// Adds UC simulator clusters to CHPA's inventory (POST /clusters) with their type, version and publisher as the
    /// simulator has them and their credentials, at most <paramref name="maxParallel"/> at a time. Returns what CHPA
    /// answered, in the order given; throws if CHPA refused any (e.g. 409: already in the inventory).
    /// </summary>
    public async Task<IReadOnlyList<ChpaCluster>> AddClustersToInventoryAsync(IEnumerable<string> names, int maxParallel = 8, CancellationToken cancellationToken = default)
    {
        using var gate = new SemaphoreSlim(maxParallel);
        var added = await Task.WhenAll(names.Select(async name =>
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                return await AddClusterAsync(name, cancellationToken);
            }
            finally
            {
                gate.Release();
            }
        }));
        return added;
    }

    /// <summary>Every cluster of CHPA's inventory (GET /clusters, all pages), in name order.</summary>
    public async Task<IReadOnlyList<ChpaCluster>> GetInventoryAsync(CancellationToken cancellationToken = default)
    {
        var all = new List<ChpaCluster>();
        for (var page = 1; ; page++)
        {
            var answer = (await _clients[SuiteService.Chpa].GetFromJsonAsync<PageDto<ChpaCluster>>(
                new Uri($"clusters?page={page}&pageSize=500", UriKind.Relative), Json, cancellationToken))!;
            all.AddRange(answer.Items);
            if (answer.Items.Count == 0 || all.Count >= answer.TotalCount)
            {
                return all;
            }
        }
    }

    /// <summary>One cluster of CHPA's inventory; null if CHPA does not have it.</summary>
    public Task<ChpaCluster?> GetInventoryClusterAsync(string name, CancellationToken cancellationToken = default) =>
        GetOrNullAsync<ChpaCluster>(SuiteService.Chpa, $"clusters/{Uri.EscapeDataString(name)}", cancellationToken);

    /// <summary>What the UC cluster itself says (registration state, smart account, VA, restarting); null if the simulator has no such cluster.</summary>
    public Task<UcClusterView?> GetUcClusterAsync(string name, CancellationToken cancellationToken = default) =>
        GetOrNullAsync<UcClusterView>(SuiteService.UcSimulator, $"admin/clusters/{Uri.EscapeDataString(name)}", cancellationToken);

    /// <summary>The product instances registered in a VA of the CSSM simulator; throws if CSSM has no such VA.</summary>
    public async Task<IReadOnlyList<CssmProductInstance>> GetProductInstancesAsync(string virtualAccount, string domain = SmartAccountDomain, CancellationToken cancellationToken = default) =>
        await GetOrNullAsync<List<CssmProductInstance>>(
            SuiteService.CssmSimulator,
            $"sim/inspect/virtual-accounts/{Uri.EscapeDataString(domain)}/{Uri.EscapeDataString(virtualAccount)}/product-instances",
            cancellationToken)
        ?? throw new KeyNotFoundException($"the CSSM simulator has no virtual account {virtualAccount} in {domain}");

    /// <summary>The process ids of the running processes (the group leaders), to check that none outlives the suite.</summary>
    public IReadOnlyDictionary<SuiteService, int> ProcessIds =>
        _processes.Where(pair => pair.Value.ProcessId is not null).ToDictionary(pair => pair.Key, pair => pair.Value.ProcessId!.Value);

    /// <summary>The process ids of the running replicas 1..N-1 of the four services (replica 0 is in <see cref="ProcessIds"/>).</summary>
    public IReadOnlyList<(SuiteService Service, int Replica, int ProcessId)> ReplicaProcessIds =>
        [.. _replicas.SelectMany(pair => pair.Value.Select((process, index) => (pair.Key, Replica: index + 1, process.ProcessId)))
            .Where(replica => replica.ProcessId is not null)
            .Select(replica => (replica.Key, replica.Replica, replica.ProcessId!.Value))];

    /// <summary>
    /// Stops every process (SIGTERM, SIGKILL after 10 s) and drops the suite's own databases (unless
    /// <see cref="SuiteOptions.KeepDatabases"/>). The broker and the database server stay: other suites and tests use them.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await Task.WhenAll(_processes.Values.Concat(_replicas.Values.SelectMany(list => list)).Select(process => process.DisposeAsync().AsTask()));
        if (RabbitMqCluster is not null)
        {
            await RabbitMqCluster.DisposeAsync();
        }

        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }

        Tokens.Dispose();
        if (Directory.Exists(IssuerKeyDirectory))
        {
            Directory.Delete(IssuerKeyDirectory, recursive: true);
        }

        if (!Options.KeepDatabases)
        {
            await DropDatabasesAsync(Servers, _databases.Values);
        }
    }

    /// <summary>
    /// Deletes the copies of the builds that suites of this process ran from (see <see cref="SuiteOptions.SnapshotBuilds"/>).
    /// Call it once every suite is disposed, from the assembly's [OneTimeTearDown]: an exit handler tries too, but
    /// vstest may kill the test host before it is done, and the next run would only then remove them.
    /// </summary>
    public static void DeleteBuildSnapshots() => SuiteBuilds.DeleteSnapshots();

    private static string ReadyPath(SuiteService service) =>
        // The services' readiness checks the bus and the database; the simulators have neither and answer /health.
        service is SuiteService.CssmSimulator or SuiteService.UcSimulator ? "health" : "health/ready";

    private static Dictionary<string, string> EnvironmentFor(
        SuiteService service, SuiteOptions options, TestServers servers, LocalRabbitMqCluster? cluster, string prefix, Dictionary<SuiteService, string> databases, Dictionary<SuiteService, int> ports,
        string keyDirectory, string issuerSecret)
    {
        string Url(SuiteService other) => $"http://127.0.0.1:{ports[other].ToString(CultureInfo.InvariantCulture)}/";
        static string Number(double value) => value.ToString(CultureInfo.InvariantCulture);

        var environment = new Dictionary<string, string>
        {
            ["Logging__LogLevel__Default"] = options.LogLevel,
        };
        if (databases.TryGetValue(service, out var database))
        {
            environment["ConnectionStrings__Database"] = database;
        }

        if (IsApi(service))
        {
            environment["ConnectionStrings__RabbitMq"] = (cluster?.Endpoint ?? servers.RabbitMq).AmqpUri.ToString();
            environment["Messaging__EndpointPrefix"] = prefix;
            if (cluster is not null)
            {
                // As deploy/ runs them on a three-node broker: quorum queues, and every node to fail over to.
                environment["Messaging__QueueType"] = "quorum";
                for (var node = 0; node < cluster.NodeAddresses.Count; node++)
                {
                    environment[$"Messaging__ClusterNodes__{node.ToString(CultureInfo.InvariantCulture)}"] = cluster.NodeAddresses[node];
                }
            }

            // Tokens of the suite's issuer, over plain http: it listens on the loopback only.
            environment["Authentication__Authority"] = Url(SuiteService.Identity);
            environment["Authentication__Audience"] = TestIssuer.Audience;
            environment["Authentication__RequireHttpsMetadata"] = "false";
            // Tests add hundreds of clusters and assignments as one caller: buckets no test fills unless it sets its own.
            environment["RateLimits__Credentials__TokenLimit"] = "100000";
            environment["RateLimits__Writes__TokenLimit"] = "100000";
        }

        if (service is SuiteService.Chpa or SuiteService.SmartAccountSync or SuiteService.ClusterAssign)
        {
            // Their key rings are encrypted with a certificate: outside Development they do not start without one.
            foreach (var (key, value) in KeyRingCertificate.Environment())
            {
                environment[key] = value;
            }
        }

        switch (service)
        {
            case SuiteService.Identity:
                foreach (var (key, value) in TestIssuer.Environment(database!, keyDirectory, [(IssuerClientId, issuerSecret)]))
                {
                    environment[key] = value;
                }

                if (ports.ContainsKey(SuiteService.Console))
                {
                    foreach (var (key, value) in SuiteConsole.IssuerEnvironment(new Uri(Url(SuiteService.Console)), clientIndex: 1))
                    {
                        environment[key] = value;
                    }
                }

                break;
            case SuiteService.Console:
                foreach (var (key, value) in SuiteConsole.Environment(Url))
                {
                    environment[key] = value;
                }

                break;
            case SuiteService.CssmSimulator:
                // Spelled out rather than left to its appsettings.json, so that the suite knows what it seeded.
                environment["Cssm__SmartAccounts__0__Domain"] = SmartAccountDomain;
                environment["Cssm__SmartAccounts__0__Name"] = SmartAccountName;
                environment["Cssm__SmartAccounts__0__AccountType"] = "CUSTOMER";
                environment["Cssm__SmartAccounts__0__VirtualAccounts"] = Number(options.VirtualAccounts);
                environment["Cssm__SmartAccounts__0__VirtualAccountPrefix"] = VirtualAccountPrefix;
                environment["Cssm__SmartAccounts__0__SatelliteShare"] = Number(options.SatelliteShare);
                environment["Cssm__SmartAccounts__0__Clients__0__ClientId"] = CssmClientId;
                environment["Cssm__SmartAccounts__0__Clients__0__ClientSecret"] = CssmClientSecret;
                environment["Cssm__Faults__LatencyMs"] = Number(options.CssmLatencyMs);
                break;
            case SuiteService.UcSimulator:
                environment["UcSimulator__CssmBaseAddress"] = Url(SuiteService.CssmSimulator);
                environment["UcSimulator__Knobs__RestartSeconds"] = Number(options.UcRestartSeconds);
                environment["UcSimulator__Knobs__LatencyMs"] = Number(options.UcLatencyMs);
                environment["UcSimulator__Generated__Count"] = Number(options.Clusters);
                environment["UcSimulator__Generated__NamePrefix"] = ClusterPrefix;
                environment["UcSimulator__Generated__ManagementUserName"] = ManagementUserName;
                environment["UcSimulator__Generated__ManagementPassword"] = ManagementPasswordBase;
                environment["UcSimulator__Generated__PlatformUserName"] = PlatformUserName;
                environment["UcSimulator__Generated__PlatformPassword"] = PlatformPasswordBase;
                environment["UcSimulator__Generated__SmartAccountDomain"] = SmartAccountDomain;
                environment["UcSimulator__Generated__VirtualAccount"] = $"{VirtualAccountPrefix}-0001";
                break;
            case SuiteService.SmartAccountSync:
                // The simulator answers cloud SSO's token path (its TokenPath) and swapi under Cisco's path.
                environment["Cssm__TokenUrl"] = Url(SuiteService.CssmSimulator) + "as/token.oauth2";
                environment["Cssm__SwapiBaseUrl"] = Url(SuiteService.CssmSimulator) + "services/api/smart-accounts-and-licensing/";
                break;
            case SuiteService.Chpa:
                environment["UcApplications__BaseAddressTemplate"] = Url(SuiteService.UcSimulator) + "publishers/{publisher}/";
                // The UC simulator's publishers (hcs-cl-0001-pub.hcs.example, cl1-alfa-pub.hcs.example): the only hosts credentials may go to.
                environment["Chpa__AllowedPublisherHosts__0"] = "*.hcs.example";
                environment["Registration__PollInterval"] = options.ChpaRegistrationPollInterval.ToString("c", CultureInfo.InvariantCulture);
                break;
            case SuiteService.ClusterAssign:
                environment["ClusterAssign__JobsBaseUrl"] = Url(SuiteService.JobTracker);
                break;
        }

        foreach (var (key, value) in options.CommonEnvironment)
        {
            environment[key] = value;
        }

        if (options.Environment.TryGetValue(service, out var extra))
        {
            foreach (var (key, value) in extra)
            {
                environment[key] = value;
            }
        }

        return environment;
    }

    private static async Task DropDatabasesAsync(TestServers servers, IEnumerable<string> connectionStrings)
    {
        // Not pooled: a pooled connection may predate a restart of the server (the drill restarts it) and be dead.
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(servers.Postgres.AdminConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        foreach (var name in connectionStrings.Select(c => new NpgsqlConnectionStringBuilder(c).Database))
        {
            try
            {
                // FORCE ends sessions a killed service's pool may have left for the server to notice.
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
                await drop.ExecuteNonQueryAsync();
            }
            catch (PostgresException e)
            {
                await Console.Error.WriteLineAsync($"HcsSuite: could not drop database {name}: {e.MessageText}");
            }
        }
    }

    private async Task<ChpaCluster> AddClusterAsync(string name, CancellationToken cancellationToken)
    {
        var uc = await GetUcClusterAsync(name, cancellationToken) ?? throw new ArgumentException($"the UC simulator has no cluster {name}", nameof(name));
        var (management, platform) = ClusterCredentials(name);
        using var response = await _clients[SuiteService.Chpa].PostAsJsonAsync(
            new Uri("clusters", UriKind.Relative),
            new
            {
                name,
                type = uc.Type,
                version = uc.Version,
                publisherAddress = uc.Publisher,
                managementCredentials = new { userName = management.UserName, password = management.Password },
                platformCredentials = new { userName = platform.UserName, password = platform.Password },
            },
            Json,
            cancellationToken);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"CHPA did not add {name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }

        return (await response.Content.ReadFromJsonAsync<ChpaCluster>(Json, cancellationToken))!;
    }

    private async Task<T?> GetOrNullAsync<T>(SuiteService service, string path, CancellationToken cancellationToken)
        where T : class
    {
        using var response = await _clients[service].GetAsync(new Uri(path, UriKind.Relative), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{service} answered GET /{path} with {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}", null, response.StatusCode);
        }

        return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken);
    }

    private SuiteProcess Replica(SuiteService service, int replica)
    {
        ObjectDisposedException.ThrowIf(_disposed == 1, this);
        return replica == 0 ? _processes[service] : _replicas[service][replica - 1];
    }

    /// <summary>Replica 0's settings with an instance id of its own in telemetry (service.instance.id=chpa-2, ...).</summary>
    private static Dictionary<string, string> ReplicaEnvironment(SuiteProcess first, int replica)
    {
        var environment = new Dictionary<string, string>(first.Environment);
        if (!environment.ContainsKey("OTEL_RESOURCE_ATTRIBUTES"))
        {
            environment["OTEL_RESOURCE_ATTRIBUTES"] = $"service.instance.id={first.Service.ToString().ToLowerInvariant()}-{replica.ToString(CultureInfo.InvariantCulture)}";
        }

        return environment;
    }

    private SuiteProcess Process(SuiteService service)
    {
        ObjectDisposedException.ThrowIf(_disposed == 1, this);
        return _processes[service];
    }

    private static string Tail(string output) => output.Length <= 8 * 1024 ? output : "...\n" + output[^(8 * 1024)..];

    /// <summary>Sends to wherever the process listens now, should a restart have moved it to another port.</summary>
    private sealed class FollowProcessHandler(SuiteProcess process) : DelegatingHandler
    {
        private readonly int _port = process.Port;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri is { IsAbsoluteUri: true } uri && uri.Port == _port && process.Port != _port)
            {
                request.RequestUri = new UriBuilder(uri) { Port = process.Port }.Uri;
            }

            return base.SendAsync(request, cancellationToken);
        }
    }

    private sealed record ConfiguredDto(ConfiguredAccountDto SmartAccount, Guid SyncJobId);

    private sealed record ConfiguredAccountDto(Guid Id, string Name);

    private sealed record NamedDto(string Name);

    private sealed record PageDto<T>(List<T> Items, int TotalCount);

    private sealed record CssmAccountDto(string Domain, List<string> SatelliteSyncedNames);
}
