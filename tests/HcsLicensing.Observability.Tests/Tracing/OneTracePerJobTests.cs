extern alias chpa;
extern alias clusterassign;
extern alias jobtracker;
extern alias smartaccountsync;

using HcsLicensing.TestBed.Security;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HcsLicensing.Contracts.ClusterAssignments;
using HcsLicensing.TestBed;
using HcsLicensing.TestBed.Suite;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using ClusterKeys = clusterassign::HcsLicensing.ClusterAssign.Operations.ClusterKeys;

namespace HcsLicensing.Observability.Tests.Tracing;

/// <summary>
/// Issue #6: one trace per job. The four services run in this process, each with ServiceDefaults' telemetry as deployed
/// plus OpenTelemetry's in-memory exporter; RabbitMQ and PostgreSQL are the test bed's; the CSSM and UC simulators are
/// processes of their own. One cluster assignment is driven as an operator would (smart account configured through
/// SmartAccountSync, the cluster added to CHPA's inventory, POST /clusters/{name}/assignment to ClusterAssign) and the
/// tests read what it left: its trace, the console lines and JobTracker's job metrics.
/// </summary>
public sealed class OneTracePerJobTests
{
    private const string Cluster = "hcs-cl-0001";
    private const string VirtualAccount = "HCS-CUST-0002";
    private const string SmartAccountDomain = "hcs-demo.example.com";
    private const string ManagementUser = "ccmadministrator";
    private const string ManagementPassword = "obs-mgmt";
    private const string PlatformUser = "osadmin";
    private const string PlatformPassword = "obs-platform";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly TimeSpan JobTimeout = TimeSpan.FromSeconds(90);

    private readonly SpanStore spans = new();
    private readonly List<MetricSnapshot> jobMetrics = [];
    private readonly List<string> databases = [];
    private TestServers servers = null!;
    private SimulatorProcess cssm = null!;
    private SimulatorProcess uc = null!;
    private ServiceHost jobTracker = null!;
    private ServiceHost smartAccountSync = null!;
    private ServiceHost chpa = null!;
    private ServiceHost clusterAssign = null!;
    private Guid jobId;
    private SuiteJob job = null!;
    private string traceId = null!;

    private IEnumerable<ServiceHost> Services => [jobTracker, smartAccountSync, chpa, clusterAssign];

    [OneTimeSetUp]
    public async Task AssignAClusterOnce()
    {
        servers = await SharedTestServers.GetAsync();
        await StartAsync();
        try
        {
            await ConfigureSmartAccountAsync();
            await AddClusterToInventoryAsync();

            using var response = await clusterAssign.Http.PostAsJsonAsync(
                new Uri($"clusters/{Cluster}/assignment", UriKind.Relative), new { smartAccountDomain = SmartAccountDomain, virtualAccount = VirtualAccount }, Json);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await response.Content.ReadAsStringAsync());
            jobId = (await response.Content.ReadFromJsonAsync<JsonElement>(Json)).GetProperty("jobId").GetGuid();
            job = await WaitForJobAsync(jobId);
            Assert.That(job.Status, Is.EqualTo("Succeeded"), $"{job.FailedStep}: {job.ErrorDescription}\n{Diagnostics()}");

            // The server span of that POST: the trace every span of the job should be in.
            traceId = spans.All.Single(span => span.Service == "ClusterAssign" && span.Activity.Kind == ActivityKind.Server
                && span.Tag("url.path") == $"/clusters/{Cluster}/assignment").TraceId;
            await WaitForTraceToSettleAsync();
        }
        catch
        {
            await Console.Out.WriteLineAsync(Diagnostics());
            throw;
        }
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        // Services first (their buses and pools close), then the simulators they call.
        if (clusterAssign is not null)
        {
            await clusterAssign.DisposeAsync();
        }

        if (chpa is not null)
        {
            await chpa.DisposeAsync();
        }

        if (smartAccountSync is not null)
        {
            await smartAccountSync.DisposeAsync();
        }

        if (jobTracker is not null)
        {
            await jobTracker.DisposeAsync();
        }

        if (uc is not null)
        {
            await uc.DisposeAsync();
        }

        if (cssm is not null)
        {
            await cssm.DisposeAsync();
        }

        await DropDatabasesAsync();
    }

    [Test]
    public void The_jobs_trace_holds_the_request_the_four_services_the_simulator_calls_the_SQL_and_the_messages()
    {
        var trace = spans.All.Where(span => span.TraceId == traceId).ToList();
        var byService = trace.GroupBy(span => span.Service).ToDictionary(group => group.Key, group => group.ToList());
        // The trace as a dashboard would list it, for whoever reads the test's output.
        TestContext.Out.WriteLine($"job {jobId}: {trace.Count} spans in trace {traceId}\n{Describe(trace)}");

        Assert.Multiple(() =>
        {
            Assert.That(byService.Keys, Is.EquivalentTo(new[] { "ClusterAssign", "Chpa", "SmartAccountSync", "JobTracker" }), Describe(trace));
            Assert.That(trace.Count(span => span.Activity.Kind == ActivityKind.Server), Is.EqualTo(1), "one HTTP request: the operator's, at the root");
            Assert.That(trace.Single(span => span.Activity.ParentSpanId == default).Activity.Kind, Is.EqualTo(ActivityKind.Server), "the request is the root");
            Assert.That(HttpCallsTo(trace, cssm), Is.Not.Empty, "SmartAccountSync's calls to CSSM (the registration token)");
            Assert.That(HttpCallsTo(trace, uc), Is.Not.Empty, "CHPA's calls to the UC application");
            Assert.That(HttpCallsTo(trace, uc).Select(span => span.Service).Distinct(), Is.EqualTo(new[] { "Chpa" }));
            Assert.That(HttpCallsTo(trace, cssm).Select(span => span.Service).Distinct(), Is.EqualTo(new[] { "SmartAccountSync" }));
            foreach (var service in new[] { "ClusterAssign", "Chpa", "SmartAccountSync", "JobTracker" })
            {
                var own = byService.GetValueOrDefault(service) ?? [];
                Assert.That(own.Where(span => span.Activity.Source.Name == "Npgsql"), Is.Not.Empty, $"{service}'s SQL in the job's trace");
                Assert.That(own.Where(span => span.Activity.Source.Name == "MassTransit" && span.Activity.Kind == ActivityKind.Consumer), Is.Not.Empty,
                    $"{service} consumed the job's messages in its trace");
            }

            // Every span has its parent in the trace (nothing hangs from a span no exporter saw).
            var ids = trace.Select(span => span.Activity.SpanId).ToHashSet();
            Assert.That(trace.Where(span => span.Activity.ParentSpanId != default && !ids.Contains(span.Activity.ParentSpanId)).Select(span => span.ToString()), Is.Empty);
        });
    }

    [Test]
    public void No_span_of_the_job_is_in_another_trace()
    {
        var all = spans.All;
        var trace = all.Where(span => span.TraceId == traceId).ToList();
        // The job's messages: every conversation its trace carried (the operator's request, and the ones CHPA's
        // registration wait and the scheduler start); a message of one of them in another trace would be a break.
        var conversations = trace.Select(span => span.Tag("messaging.message.conversation_id")).OfType<string>().ToHashSet();
        var clusterSaga = ClusterKeys.ForCluster(Cluster).ToString();
        var jobSaga = jobId.ToString();
        var elsewhere = all.Where(span => span.TraceId != traceId && (
            conversations.Contains(span.Tag("messaging.message.conversation_id") ?? "")
            || span.Tag("messaging.masstransit.saga_id") == clusterSaga
            || span.Tag("messaging.masstransit.saga_id") == jobSaga)).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(conversations, Is.Not.Empty);
            Assert.That(trace.Where(span => span.Tag("messaging.masstransit.saga_id") == clusterSaga), Is.Not.Empty, "ClusterOperation saga in the trace");
            Assert.That(trace.Where(span => span.Tag("messaging.masstransit.saga_id") == jobSaga), Is.Not.Empty, "the Job saga in the trace");
            Assert.That(elsewhere.Select(span => span.ToString()), Is.Empty, "the job's messages handled in other traces");
        });
    }

    [Test]
    public void SQL_that_no_operation_encloses_is_not_exported()
    {
        // The scheduler's dispatcher and the sweepers poll several times a second in every service; unfiltered, each
        // statement was a trace of its own (about 15 a second here). Their SQL inside a delivery is still traced.
        var all = spans.All;
        var roots = all.Where(span => span.Activity.ParentSpanId == default).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(roots.Where(span => span.Activity.Source.Name == "Npgsql").Select(span => span.ToString()), Is.Empty);
            Assert.That(roots.Select(span => span.Activity.Source.Name).Distinct(), Is.EquivalentTo(new[] { "Microsoft.AspNetCore" }),
                "every trace here starts at an HTTP request: " + string.Join(", ", roots.Select(span => span.Activity.DisplayName).Distinct()));
            Assert.That(all.Where(span => span.Activity.Source.Name == "Npgsql"), Is.Not.Empty, "SQL within operations is exported");
        });
    }

    [Test]
    public void Each_service_reports_under_its_own_service_name()
    {
        foreach (var service in Services)
        {
            var resource = service.Services.GetRequiredService<OpenTelemetry.Trace.TracerProvider>().GetResource();
            Assert.That(resource.Attributes.Single(a => a.Key == "service.name").Value, Is.EqualTo(service.Name));
        }
    }

    [Test]
    public void Console_lines_written_during_the_job_carry_its_trace_id()
    {
        var lines = chpa.Logs.Lines.Where(line => line.Contains($"VerifyCluster {Cluster}", StringComparison.Ordinal)).ToList();

        Assert.That(lines, Is.Not.Empty, string.Join("", chpa.Logs.Lines));
        TestContext.Out.WriteLine(lines[0]);
        Assert.That(lines, Has.All.Contains($"trace={traceId}"));
    }

    [Test]
    public void JobTracker_exports_the_jobs_metrics()
    {
        var provider = jobTracker.Services.GetRequiredService<MeterProvider>();
        lock (jobMetrics)
        {
            jobMetrics.Clear();
        }

        Assert.That(provider.ForceFlush(10_000), Is.True);
        List<MetricSnapshot> exported;
        lock (jobMetrics)
        {
            exported = [.. jobMetrics];
        }

        double Sum(string name) => Points(exported, name).Sum(point => (double)point.Point.GetSumLong());

        var stepCounts = Points(exported, "hcs.job.step.duration")
            .ToDictionary(point => (string)point.Tags["hcs.job.step"]!, point => point.Point.GetHistogramCount());
        Assert.Multiple(() =>
        {
            Assert.That(Sum("hcs.jobs.started"), Is.EqualTo(1), "one cluster job started");
            Assert.That(Sum("hcs.jobs.succeeded"), Is.EqualTo(1));
            Assert.That(Points(exported, "hcs.jobs.failed"), Is.Empty);
            Assert.That(Sum("hcs.jobs.in_flight"), Is.EqualTo(0), "none left in flight");
            Assert.That(Points(exported, "hcs.job.duration").Sum(point => point.Point.GetHistogramCount()), Is.EqualTo(1));
            Assert.That(stepCounts.Keys, Is.SupersetOf(new[] { ClusterOperationSteps.Verification, ClusterOperationSteps.Registration }), "steps measured");
            Assert.That(stepCounts.Values, Has.All.EqualTo(1));
        });
    }

    /// <summary>The metric points of <paramref name="name"/> for cluster jobs (the smart account's sync job is another entity type).</summary>
    private static List<TaggedPoint> Points(List<MetricSnapshot> exported, string name) =>
        [.. exported.Where(metric => metric.Name == name)
            .SelectMany(metric => metric.MetricPoints.Select(point => new TaggedPoint(point)))
            .Where(point => point.Tags.TryGetValue("hcs.job.entity_type", out var entity) && (string?)entity == "Cluster"
                && point.Tags.TryGetValue("hcs.job.type", out var type) && (string?)type == "Provisioning")];

    private async Task StartAsync()
    {
        var id = Guid.NewGuid().ToString("N")[..6];
        cssm = await SimulatorProcess.StartAsync("HcsLicensing.CssmSimulator", new Dictionary<string, string>
        {
            ["Cssm__SmartAccounts__0__Domain"] = SmartAccountDomain,
            ["Cssm__SmartAccounts__0__Name"] = "HCS-DEMO",
            ["Cssm__SmartAccounts__0__AccountType"] = "CUSTOMER",
            ["Cssm__SmartAccounts__0__VirtualAccounts"] = "10",
            ["Cssm__SmartAccounts__0__VirtualAccountPrefix"] = "HCS-CUST",
            ["Cssm__SmartAccounts__0__Clients__0__ClientId"] = "obs-client",
            ["Cssm__SmartAccounts__0__Clients__0__ClientSecret"] = "obs-secret",
        }, TimeSpan.FromSeconds(60));
        uc = await SimulatorProcess.StartAsync("HcsLicensing.UcSimulator", new Dictionary<string, string>
        {
            ["UcSimulator__CssmBaseAddress"] = cssm.Address.ToString(),
            ["UcSimulator__Knobs__RestartSeconds"] = "0",
            ["UcSimulator__Generated__Count"] = "4",
            ["UcSimulator__Generated__NamePrefix"] = "hcs-cl",
            ["UcSimulator__Generated__ManagementUserName"] = ManagementUser,
            ["UcSimulator__Generated__ManagementPassword"] = ManagementPassword,
            ["UcSimulator__Generated__PlatformUserName"] = PlatformUser,
            ["UcSimulator__Generated__PlatformPassword"] = PlatformPassword,
            ["UcSimulator__Generated__SmartAccountDomain"] = SmartAccountDomain,
            ["UcSimulator__Generated__VirtualAccount"] = "HCS-CUST-0001",
        }, TimeSpan.FromSeconds(60));

        var issuer = await SharedTestIssuer.GetAsync();

        async Task<Dictionary<string, string?>> Common(string service)
        {
            var database = await servers.Postgres.CreateDatabaseAsync($"obs_{id}_{service.ToLowerInvariant()}");
            databases.Add(database);
            return new Dictionary<string, string?>
            {
                ["ConnectionStrings:Database"] = database,
                ["ConnectionStrings:RabbitMq"] = servers.RabbitMq.AmqpUri.ToString(),
                ["Messaging:EndpointPrefix"] = $"obs-{id}-",
                ["Outbox:PollInterval"] = "00:00:00.500",
                ["Logging:LogLevel:Default"] = "Warning",
                ["Authentication:Authority"] = issuer.ServiceSettings["Authentication:Authority"],
                ["Authentication:Audience"] = issuer.ServiceSettings["Authentication:Audience"],
                ["Authentication:RequireHttpsMetadata"] = "false",
            };
        }

        jobTracker = ServiceHost.Start<jobtracker::Program>("JobTracker", await Common("JobTracker"), spans, issuer, services =>
            services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddInMemoryExporter(jobMetrics)));

        var sync = await Common("SmartAccountSync");
        sync["Cssm:TokenUrl"] = cssm.Address + "as/token.oauth2";
        sync["Cssm:SwapiBaseUrl"] = cssm.Address + "services/api/smart-accounts-and-licensing/";
        smartAccountSync = ServiceHost.Start<smartaccountsync::Program>("SmartAccountSync", sync, spans, issuer);

        var chpaSettings = await Common("Chpa");
        chpaSettings["UcApplications:BaseAddressTemplate"] = uc.Address + "publishers/{publisher}/";
        chpaSettings["Chpa:AllowedPublisherHosts:0"] = "*.hcs.example";
        chpaSettings["Registration:PollInterval"] = "00:00:00.250";
        // Its answer lines (one per operation, Information) are what the console-line test reads.
        chpaSettings["Logging:LogLevel:HcsLicensing.Chpa"] = "Information";
        chpa = ServiceHost.Start<chpa::Program>("Chpa", chpaSettings, spans, issuer);

        clusterAssign = ServiceHost.Start<clusterassign::Program>("ClusterAssign", await Common("ClusterAssign"), spans, issuer);
    }

    private async Task ConfigureSmartAccountAsync()
    {
        using var response = await smartAccountSync.Http.PostAsJsonAsync(
            new Uri("smart-accounts", UriKind.Relative), new { domain = SmartAccountDomain, clientId = "obs-client", clientSecret = "obs-secret" }, Json);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var syncJob = (await response.Content.ReadFromJsonAsync<JsonElement>(Json)).GetProperty("syncJobId").GetGuid();
        var synced = await WaitForJobAsync(syncJob);
        Assert.That(synced.Status, Is.EqualTo("Succeeded"), $"smart account sync: {synced.ErrorDescription}");
    }

    private async Task AddClusterToInventoryAsync()
    {
        using var simulator = new HttpClient { BaseAddress = uc.Address };
        var view = (await simulator.GetFromJsonAsync<UcClusterView>(new Uri($"admin/clusters/{Cluster}", UriKind.Relative), Json))!;
        var suffix = Cluster[^4..];
        using var response = await chpa.Http.PostAsJsonAsync(new Uri("clusters", UriKind.Relative), new
        {
            name = Cluster,
            type = view.Type,
            version = view.Version,
            publisherAddress = view.Publisher,
            managementCredentials = new { userName = ManagementUser, password = $"{ManagementPassword}-{suffix}" },
            platformCredentials = new { userName = PlatformUser, password = $"{PlatformPassword}-{suffix}" },
        }, Json);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
    }

    /// <summary>Polls JobTracker until the job has ended and its JobCreated is in (docs/jobs.md: events arrive in any order).</summary>
    private async Task<SuiteJob> WaitForJobAsync(Guid id)
    {
        var deadline = DateTime.UtcNow + JobTimeout;
        while (true)
        {
            using var response = await jobTracker.Http.GetAsync(new Uri($"jobs/{id}", UriKind.Relative));
            if (response.StatusCode == HttpStatusCode.OK && await response.Content.ReadFromJsonAsync<SuiteJob>(Json) is { HasEnded: true, HasDetails: true } ended)
            {
                return ended;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"job {id} did not end within {JobTimeout}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}\n{Diagnostics()}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>
    /// The job has ended in JobTracker's database, but the spans of the messages in flight around it (JobTracker's last
    /// consume, the acknowledgements) end a moment later: wait until the trace stops growing.
    /// </summary>
    private async Task WaitForTraceToSettleAsync()
    {
        var count = -1;
        var stableSince = DateTime.UtcNow;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            var now = spans.All.Count(span => span.TraceId == traceId);
            if (now != count)
            {
                count = now;
                stableSince = DateTime.UtcNow;
            }
            else if (DateTime.UtcNow - stableSince > TimeSpan.FromSeconds(2))
            {
                return;
            }

            await Task.Delay(100);
        }
    }

    private static List<ExportedSpan> HttpCallsTo(IEnumerable<ExportedSpan> trace, SimulatorProcess simulator) =>
        [.. trace.Where(span => span.Activity.Source.Name == "System.Net.Http" && span.Activity.Kind == ActivityKind.Client
            && span.Tag("server.port") == simulator.Port.ToString(CultureInfo.InvariantCulture))];

    private static string Describe(IEnumerable<ExportedSpan> trace) =>
        string.Join("\n", trace.OrderBy(span => span.Activity.StartTimeUtc).Select(span => span.ToString()));

    private string Diagnostics()
    {
        var logs = Services.Where(service => service is not null).SelectMany(service => service.Logs.Lines.Select(line => $"[{service.Name}] {line}"));
        return "--- logs ---\n" + string.Join("", logs.TakeLast(200))
            + (traceId is null ? "" : "\n--- trace ---\n" + Describe(spans.All.Where(span => span.TraceId == traceId)));
    }

    private async Task DropDatabasesAsync()
    {
        if (databases.Count == 0)
        {
            return;
        }

        await using var connection = new NpgsqlConnection(servers.Postgres.AdminConnectionString);
        await connection.OpenAsync();
        foreach (var name in databases.Select(database => new NpgsqlConnectionStringBuilder(database).Database))
        {
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }

    private sealed class TaggedPoint(MetricPoint point)
    {
        public MetricPoint Point { get; } = point;

        public Dictionary<string, object?> Tags { get; } = ToDictionary(point);

        private static Dictionary<string, object?> ToDictionary(MetricPoint point)
        {
            var tags = new Dictionary<string, object?>();
            foreach (var tag in point.Tags)
            {
                tags[tag.Key] = tag.Value;
            }

            return tags;
        }
    }
}
