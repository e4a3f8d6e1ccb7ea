using HcsLicensing.AppHost;
using HcsLicensing.AppHost.Demo;
using HcsLicensing.AppHost.Servers;

// The whole suite from one command (docs/run.md): RabbitMQ and PostgreSQL with private, temporary data, the token
// issuer, the four services, the operator console, both simulators seeded for a demo, the Aspire dashboard (traces, logs, metrics) on http, and a demo that
// configures a smart account, fills CHPA's inventory and assigns a cluster, printing the job's steps in this terminal.
var builder = DistributedApplication.CreateBuilder(args);
var demo = builder.Configuration.GetSection(DemoOptions.Section).Get<DemoOptions>() ?? new DemoOptions();
var ports = new SuitePorts(builder.Configuration.GetSection(SuitePorts.Section));

// Containers where a Docker engine answers (laptops, CI runners with Docker); otherwise the OS packages' servers. A
// RabbitMQ cluster (--rabbitmq-nodes 3) is local servers' only: Aspire's RabbitMQ container is a single node.
IServers servers;
SuiteShape shape;
try
{
    shape = SuiteShape.From(builder.Configuration);
    servers = shape.RabbitMqNodes == 1 && ContainerServers.ShouldUse(builder.Configuration)
        ? ContainerServers.Add(builder, ports)
        : LocalServers.Add(builder, ports, shape.RabbitMqNodes);
}
catch (Exception problem) when (problem is MissingServerException or ArgumentException)
{
    // Before anything starts, so the one line that matters is the last one on the screen.
    await Console.Error.WriteLineAsync($"{Environment.NewLine}Cannot start the suite: {problem.Message}{Environment.NewLine}");
    return 1;
}

// Simulators: the CSSM one holds the smart account and its 1,285 VAs; the UC one a few dozen clusters that restart
// for a few seconds when registered, so that the Registration step is seen in progress.
var cssm = builder.AddProject<Projects.HcsLicensing_CssmSimulator>(Names.CssmSimulator, launchProfileName: null)
    .WithHttpEndpoint(port: ports.For(Names.CssmSimulator), name: "http")
    .WithHttpHealthCheck("/health")
    .WithEnvironment(demo.CssmSeed);
var cssmUrl = cssm.GetEndpoint("http");

var uc = builder.AddProject<Projects.HcsLicensing_UcSimulator>(Names.UcSimulator, launchProfileName: null)
    .WithHttpEndpoint(port: ports.For(Names.UcSimulator), name: "http")
    .WithHttpHealthCheck("/health")
    .WithEnvironment("UcSimulator__CssmBaseAddress", ReferenceExpression.Create($"{cssmUrl}/"))
    .WithEnvironment(demo.UcSeed)
    .WithUrlForEndpoint("http", url => url.Url += "/admin/clusters");
var ucUrl = uc.GetEndpoint("http");

// The suite's OpenID Connect issuer: every service accepts only its tokens. Its issuer name is the URL an operator
// uses from this machine too, so a token fetched with curl is valid for the services. docs/security.md.
var identity = builder.AddProject<Projects.HcsLicensing_Identity>(Names.Identity, launchProfileName: null)
    .WithHttpEndpoint(port: ports.For(Names.Identity), name: "http")
    .WithHttpHealthCheck("/health/ready")
    .WithUrlForEndpoint("http", url => url.Url += "/.well-known/openid-configuration");
identity
    .WithEnvironment("Identity__Issuer", ReferenceExpression.Create($"{identity.GetEndpoint("http")}/"))
    .WithEnvironment("Identity__AllowHttp", "true")
    .WithEnvironment(demo.IdentitySeed);
servers.Connect(identity, "hcs_identity");

// The services, each with its own database on the shared server and the broker, started once both are ready.
var jobTracker = builder.AddProject<Projects.HcsLicensing_JobTracker>(Names.JobTracker, launchProfileName: null)
    .WithReplicas(shape.Replicas)
    .WithHttpEndpoint(port: ports.For(Names.JobTracker), name: "http")
    .WithHttpHealthCheck("/health/ready")
    .WithUrlForEndpoint("http", url => url.Url += "/jobs")
    .TrustIssuer(identity);
servers.Connect(jobTracker, "hcs_jobtracker");
var jobTrackerUrl = jobTracker.GetEndpoint("http");

// CHPA's, SmartAccountSync's and ClusterAssign's key rings are encrypted with this certificate (docs/security.md).
var (keyRingCertificate, keyRingPassword) = KeyRingCertificate.EnsureCreated();

var smartAccountSync = builder.AddProject<Projects.HcsLicensing_SmartAccountSync>(Names.SmartAccountSync, launchProfileName: null)
    .WithReplicas(shape.Replicas)
    .WithHttpEndpoint(port: ports.For(Names.SmartAccountSync), name: "http")
    .WithEnvironment("DataProtection__CertificatePath", keyRingCertificate)
    .WithEnvironment("DataProtection__CertificatePassword", keyRingPassword)
    .WithHttpHealthCheck("/health/ready")
    .WithEnvironment("Cssm__TokenUrl", ReferenceExpression.Create($"{cssmUrl}/as/token.oauth2"))
    .WithEnvironment("Cssm__SwapiBaseUrl", ReferenceExpression.Create($"{cssmUrl}/services/api/smart-accounts-and-licensing/"))
    .WithUrlForEndpoint("http", url => url.Url += "/smart-accounts")
    .TrustIssuer(identity)
    .WaitFor(cssm);
servers.Connect(smartAccountSync, "hcs_smartaccountsync");

var chpa = builder.AddProject<Projects.HcsLicensing_Chpa>(Names.Chpa, launchProfileName: null)
    .WithReplicas(shape.Replicas)
    .WithHttpEndpoint(port: ports.For(Names.Chpa), name: "http")
    .WithEnvironment("DataProtection__CertificatePath", keyRingCertificate)
    .WithEnvironment("DataProtection__CertificatePassword", keyRingPassword)
    .WithHttpHealthCheck("/health/ready")
    // {publisher} is CHPA's placeholder, not an expression: the literal braces reach the service as they are.
    .WithEnvironment("UcApplications__BaseAddressTemplate", ReferenceExpression.Create($"{ucUrl}/publishers/{{publisher}}/"))
    // Credentials go only to the UC simulator's publishers (*.hcs.example); docs/chpa.md.
    .WithEnvironment("Chpa__AllowedPublisherHosts__0", "*.hcs.example")
    // A registration is seen finished within a second of the publisher's restart instead of up to five.
    .WithEnvironment("Registration__PollInterval", "00:00:01")
    // The demo adds 38 clusters in one go; the default credential bucket (10, then one per 6 s) is for people.
    .WithEnvironment("RateLimits__Credentials__TokenLimit", "100")
    .WithUrlForEndpoint("http", url => url.Url += "/clusters")
    .TrustIssuer(identity)
    .WaitFor(uc);
servers.Connect(chpa, "hcs_chpa");

var clusterAssign = builder.AddProject<Projects.HcsLicensing_ClusterAssign>(Names.ClusterAssign, launchProfileName: null)
    .WithReplicas(shape.Replicas)
    .WithHttpEndpoint(port: ports.For(Names.ClusterAssign), name: "http")
    .WithEnvironment("DataProtection__CertificatePath", keyRingCertificate)
    .WithEnvironment("DataProtection__CertificatePassword", keyRingPassword)
    .WithHttpHealthCheck("/health/ready")
    // The Location of a job it accepts points at JobTracker's API as the operator reaches it.
    .WithEnvironment("ClusterAssign__JobsBaseUrl", ReferenceExpression.Create($"{jobTrackerUrl}/"))
    .TrustIssuer(identity)
    .WithUrlForEndpoint("http", url => url.Url += "/clusters");
servers.Connect(clusterAssign, "hcs_clusterassign");

// The operator console (docs/console.md): the browser signs in at the issuer (code + PKCE) and the console calls the
// four APIs with the operator's token. The issuer sends the code back only to the console's own address. A job links
// to its trace on this dashboard.
var dashboardUrl = (builder.Configuration["ASPNETCORE_URLS"] ?? "http://localhost:18888").Split(';')[0].TrimEnd('/');
var operatorConsole = builder.AddProject<Projects.HcsLicensing_Console>(Names.Console, launchProfileName: null)
    .WithHttpEndpoint(port: ports.For(Names.Console), name: "http")
    .WithHttpHealthCheck("/health/ready")
    .WithEnvironment("Authentication__Authority", ReferenceExpression.Create($"{identity.GetEndpoint("http")}/"))
    .WithEnvironment("Authentication__ClientId", DemoOptions.ConsoleClientId)
    .WithEnvironment("Authentication__RequireHttpsMetadata", "false")
    .WithEnvironment("Suite__JobTracker", ReferenceExpression.Create($"{jobTrackerUrl}/"))
    .WithEnvironment("Suite__SmartAccountSync", ReferenceExpression.Create($"{smartAccountSync.GetEndpoint("http")}/"))
    .WithEnvironment("Suite__Chpa", ReferenceExpression.Create($"{chpa.GetEndpoint("http")}/"))
    .WithEnvironment("Suite__ClusterAssign", ReferenceExpression.Create($"{clusterAssign.GetEndpoint("http")}/"))
    .WithEnvironment("Console__TraceUrl", $"{dashboardUrl}/traces/detail/{{traceId}}")
    .WaitFor(identity);
identity.WithEnvironment("Identity__Clients__1__RedirectUris__0", ReferenceExpression.Create($"{operatorConsole.GetEndpoint("http")}/signin-oidc"));

builder.Services.AddSingleton(servers);
builder.Services.AddHostedService<OrderedShutdown>();

if (demo.Enabled)
{
    builder.Services.AddSingleton(demo);
    builder.Services.AddSingleton(new DemoEndpoints(
        identity.GetEndpoint("http"), cssmUrl, ucUrl, jobTrackerUrl, smartAccountSync.GetEndpoint("http"), chpa.GetEndpoint("http"), clusterAssign.GetEndpoint("http"),
        DashboardUrl: dashboardUrl,
        servers.Describe(),
        operatorConsole.GetEndpoint("http")));
    // The demo calls the APIs as the client "hcs-demo" would from a script: a client-credentials token on every request.
    builder.Services.AddTransient<DemoTokenHandler>();
    builder.Services.AddHttpClient(DemoTokenHandler.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(30));
    builder.Services.AddHttpClient(DemoRunner.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(30)).AddHttpMessageHandler<DemoTokenHandler>();
    builder.Services.AddHostedService<DemoRunner>();
}

try
{
    await builder.Build().RunAsync();
}
catch (OperationCanceledException)
{
    // Ctrl-C while the orchestrator was still creating resources; handled below like any other stop.
}

// Ctrl-C before the host had started skips OrderedShutdown: servers still running are stopped cleanly here (a no-op
// when OrderedShutdown has done it). The orchestrator ends whatever else it started once the AppHost has exited.
await servers.StopAsync(TimeSpan.FromSeconds(30));

// Aspire's orchestrator (dcp) notices within seconds that the AppHost has exited and exits too, removing its own temp
// directory and socket; ended from here instead, it leaves both behind (tried), so it is left to do that itself.
return 0;
