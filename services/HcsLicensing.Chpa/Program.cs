using System.Text.Json.Serialization;
using HcsLicensing.Chpa.Data;
using HcsLicensing.Chpa.Inventory;
using HcsLicensing.Chpa.LicensingRequests;
using HcsLicensing.Chpa.Registration;
using HcsLicensing.Chpa.UcApplications.Http;
using HcsLicensing.ServiceDefaults;
using HcsLicensing.ServiceDefaults.Database;
using HcsLicensing.ServiceDefaults.ErrorQueues;
using HcsLicensing.ServiceDefaults.Messaging;
using HcsLicensing.ServiceDefaults.Security;
using HcsLicensing.ServiceDefaults.Validation;

// CHPA: HCM-F's Cisco HCS Provisioning Adapter. Owns the UC cluster inventory (HTTP) and carries out every licensing
// operation on a UC application for ClusterAssign (RabbitMQ requests on the "chpa" queue). docs/chpa.md.
var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults("Chpa");
builder.AddServiceApiSecurity(); // every endpoint: a bearer token of Authentication:Authority with its hcs.* permission
builder.AddServiceDatabase<ChpaDbContext>();
builder.AddClusterCredentialProtection();
builder.AddUcApplicationClient();
builder.Services.Configure<RegistrationOptions>(builder.Configuration.GetSection(RegistrationOptions.Section));
builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
builder.Services.AddScoped<ClusterDirectory>();
builder.Services.AddScoped<RegistrationWaits>();
builder.Services.AddSingleton<UnreachablePublisherWait>();

var chpa = ChpaEndpoint.FromConfiguration(builder.Configuration);
builder.Services.AddSingleton(chpa);
builder.AddServiceBus<ChpaDbContext>(bus =>
{
    bus.AddMessageLimits(); // every contract message checked: lengths and enums (docs/security.md)
    // One queue for every request, as HCM-F addresses the service by name; polls come back to it too.
    bus.AddConsumer<VerifyClusterConsumer>().Endpoint(e => e.Name = chpa.Name);
    bus.AddConsumer<GetTransportSettingsConsumer>().Endpoint(e => e.Name = chpa.Name);
    bus.AddConsumer<ChangeLicenseModeConsumer>().Endpoint(e => e.Name = chpa.Name);
    bus.AddConsumer<SetTransportSettingsConsumer>().Endpoint(e => e.Name = chpa.Name);
    bus.AddConsumer<RegisterClusterConsumer>().Endpoint(e => e.Name = chpa.Name);
    bus.AddConsumer<DeregisterClusterConsumer>().Endpoint(e => e.Name = chpa.Name);
    bus.AddConsumer<PollRegistrationConsumer>().Endpoint(e => e.Name = chpa.Name);
    // The license audit's verifications, on a lane of their own (bound to no exchange: they are sent, never published).
    bus.AddConsumer<LicenseAuditVerifyConsumer>().Endpoint(e =>
    {
        e.Name = chpa.LicenseAudit;
        e.ConfigureConsumeTopology = false;
    });
});
builder.Services.AddHostedService<RegistrationWaitSweeper>(); // after the bus: it answers through it

var app = builder.Build();
if (await app.RunErrorQueueCommandAsync(args)) return; // `errors list|move ...`: the operator's error queue tool, not the service (docs/reliability.md)

app.MapServiceDefaults();
app.MapInventoryApi();

app.Run();

/// <summary>The entry point, public for WebApplicationFactory in the tests.</summary>
public partial class Program;
