using System.Text.Json.Serialization;
using HcsLicensing.ClusterAssign;
using HcsLicensing.ClusterAssign.Data;
using HcsLicensing.ClusterAssign.LicenseAudit;
using HcsLicensing.ClusterAssign.Operations;
using HcsLicensing.ClusterAssign.Operations.Steps;
using HcsLicensing.ClusterAssign.PlainJsonRequests;
using HcsLicensing.ClusterAssign.Summary;
using HcsLicensing.Contracts.ClusterAssignments;
using HcsLicensing.ServiceDefaults;
using HcsLicensing.ServiceDefaults.Database;
using HcsLicensing.ServiceDefaults.ErrorQueues;
using HcsLicensing.ServiceDefaults.Messaging;
using HcsLicensing.ServiceDefaults.Retention;
using HcsLicensing.ServiceDefaults.Security;
using HcsLicensing.ServiceDefaults.Sagas;
using HcsLicensing.ServiceDefaults.Validation;

// ClusterAssign: HLM's cluster assignment agent (SMART_LIC_CLUSTER_OPERATION). Assigns, unassigns and reassigns UC
// clusters to virtual accounts as jobs, driving CHPA and SmartAccountSync over RabbitMQ. docs/cluster-assign.md.
var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults("ClusterAssign");
builder.AddServiceApiSecurity(); // every endpoint: a bearer token of Authentication:Authority with its hcs.* permission
builder.AddServiceDatabase<ClusterAssignDbContext>();
builder.Services.Configure<ClusterAssignOptions>(builder.Configuration.GetSection(ClusterAssignOptions.Section));
builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
builder.Services.AddSingleton<JobLinks>();
// The registration token a job keeps from Verification to Registration is encrypted in the saga's row (docs/security.md).
builder.AddServiceDataProtection<ClusterAssignDbContext>("HcsLicensing.ClusterAssign");
builder.Services.AddSingleton<RegistrationTokenSafe>();

var queues = EndpointAddresses.From(builder.Configuration);
builder.Services.AddSingleton(new PlainJsonQueue<ClusterAssignmentRequest>(ClusterAssignQueues.AssignmentJson));
builder.Services.AddSingleton(new PlainJsonQueue<ClusterUnassignmentRequest>(ClusterAssignQueues.UnassignmentJson));
builder.Services.AddSingleton(new PlainJsonQueue<ClusterReassignmentRequest>(ClusterAssignQueues.ReassignmentJson));
builder.AddServiceBus<ClusterAssignDbContext>(bus =>
{
    bus.AddMessageLimits(); // every contract message checked: lengths and enums (docs/security.md)
    // One row per cluster: requests, CHPA's and SmartAccountSync's answers and timeouts all meet on one queue.
    bus.AddSagaStateMachine<ClusterOperationStateMachine, ClusterOperationState>()
        .PostgresRepository<ClusterOperationState, ClusterAssignDbContext>()
        .Endpoint(e => e.Name = queues.Name(ClusterAssignQueues.Operations));
    // Plain JSON requests from publishers that are not .NET, one queue per request type.
    bus.AddConsumer<PlainJsonRequestConsumer<ClusterAssignmentRequest>>(typeof(PlainJsonRequestDefinition<ClusterAssignmentRequest>));
    bus.AddConsumer<PlainJsonRequestConsumer<ClusterUnassignmentRequest>>(typeof(PlainJsonRequestDefinition<ClusterUnassignmentRequest>));
    bus.AddConsumer<PlainJsonRequestConsumer<ClusterReassignmentRequest>>(typeof(PlainJsonRequestDefinition<ClusterReassignmentRequest>));
    bus.AddRequestClient<ClusterAssignmentRequest>();
    bus.AddRequestClient<ClusterUnassignmentRequest>();
    bus.AddRequestClient<ClusterReassignmentRequest>();
    bus.AddConsumer<StartLicenseAuditConsumer>(); // license audits, one at a time across replicas (docs/audit.md)
});
builder.Services.AddHostedService<StepDeadlineSweeper>();
builder.AddLicenseAudit(); // compares what we assigned, what CSSM lists and what each cluster says (docs/audit.md)
builder.AddRetention<ClusterAssignDbContext>( // rows of clusters CHPA never knew, ended license audits, closed findings (Retention:Keep)
    ClusterAssignRetention.UnknownClusters, ClusterAssignRetention.LicenseAudits, ClusterAssignRetention.ClosedLicenseFindings);

var app = builder.Build();
if (await app.RunErrorQueueCommandAsync(args)) return; // `errors list|move ...`: the operator's error queue tool, not the service (docs/reliability.md)

app.MapServiceDefaults();
app.MapClusterOperationsApi();
app.MapClusterSummaryApi();
app.MapLicenseAuditApi();

app.Run();

/// <summary>The entry point, public for WebApplicationFactory in the tests.</summary>
public partial class Program;
