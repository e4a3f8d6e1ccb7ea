using HcsLicensing.ServiceDefaults;
using HcsLicensing.ServiceDefaults.Database;
using HcsLicensing.ServiceDefaults.ErrorQueues;
using HcsLicensing.ServiceDefaults.Messaging;
using HcsLicensing.ServiceDefaults.Retention;
using HcsLicensing.ServiceDefaults.Security;
using HcsLicensing.ServiceDefaults.Validation;
using HcsLicensing.SmartAccountSync.Cssm;
using HcsLicensing.SmartAccountSync.Data;
using HcsLicensing.SmartAccountSync.Licenses;
using HcsLicensing.SmartAccountSync.ProductInstances;
using HcsLicensing.SmartAccountSync.SmartAccounts;
using HcsLicensing.SmartAccountSync.Sync;
using HcsLicensing.SmartAccountSync.Tokens;
using HcsLicensing.SmartAccountSync.Transport;
using HcsLicensing.SmartAccountSync.VirtualAccounts;

// SmartAccountSync: HCM-F's Smart Account configuration. Connects smart accounts through OAuth2, syncs their virtual
// accounts and their license usage from CSSM (on configuration, on demand, periodically), keeps transport settings, hands out registration tokens.
var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults("SmartAccountSync");
builder.AddServiceApiSecurity(); // every endpoint: a bearer token of Authentication:Authority with its hcs.* permission
builder.AddServiceDatabase<SmartAccountSyncDbContext>();
builder.AddServiceBus<SmartAccountSyncDbContext>(bus =>
{
    bus.AddMessageLimits(); // every contract message checked: lengths and enums (docs/security.md)
    bus.AddConsumer<SyncVirtualAccountsConsumer>();
    bus.AddConsumer<GetRegistrationTokenConsumer>();
    bus.AddConsumer<SyncJobCommandsConsumer>(); // JobTracker's restart and cancel of sync jobs
    bus.AddConsumer<ListProductInstancesConsumer>(); // CSSM's view for the license audit (docs/audit.md)
});

// Client secrets and registration tokens are encrypted with a key ring kept in the service's database, shared by all
// its instances, itself encrypted with a certificate from configuration (docs/security.md).
builder.AddServiceDataProtection<SmartAccountSyncDbContext>("HcsLicensing.SmartAccountSync");
builder.Services.AddCssmClients(builder.Configuration); // along the saved transport route (docs/smart-accounts.md)
builder.Services.Configure<SyncOptions>(builder.Configuration.GetSection(SyncOptions.Section));
builder.Services.Configure<LicenseSyncOptions>(builder.Configuration.GetSection(LicenseSyncOptions.Section));
builder.Services.Configure<RegistrationTokenOptions>(builder.Configuration.GetSection(RegistrationTokenOptions.Section));
builder.Services.AddSingleton<ClientSecretProtector>();
builder.Services.AddSingleton<ProxyPasswordProtector>();
builder.Services.AddScoped<TransportCheck>();
builder.Services.AddScoped<TransportSettingsSaver>();
builder.Services.AddSingleton<RegistrationTokenProtector>();
builder.Services.AddScoped<SyncJobEvents>();
builder.Services.AddScoped<SmartAccountConfigurator>();
builder.Services.AddScoped<VirtualAccountSync>();
builder.Services.AddScoped<LicenseSync>(); // the VAs' license lines, read in the same sync (docs/smart-accounts.md)
builder.Services.AddScoped<SyncCoordinator>();
builder.Services.AddScoped<SyncRunner>();
builder.Services.AddScoped<RegistrationTokenIssuer>();
builder.Services.AddScoped<ProductInstanceSearch>();
builder.Services.AddHostedService<PeriodicSync>();
builder.AddRetention<SmartAccountSyncDbContext>(SmartAccountSyncRetention.Rules); // old sync runs, expired tokens (Retention:Keep)

var app = builder.Build();
if (await app.RunErrorQueueCommandAsync(args)) return; // `errors list|move ...`: the operator's error queue tool, not the service (docs/reliability.md)

app.MapServiceDefaults();
app.MapSmartAccountsApi();
app.MapVirtualAccountsApi();
app.MapLicensesApi();
app.MapTransportSettingsApi();

app.Run();

/// <summary>The entry point, public for WebApplicationFactory in the tests.</summary>
public partial class Program;
