using HcsLicensing.ServiceDefaults;
using HcsLicensing.ServiceDefaults.Messaging;

// A bare host for now: health probes, telemetry and the bus; smart accounts, virtual account sync and registration tokens arrive with their issue.
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("SmartAccountSync");
builder.AddServiceBus(_ => { });

var app = builder.Build();
app.MapServiceDefaults();
app.Run();
