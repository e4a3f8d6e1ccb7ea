using HcsLicensing.ServiceDefaults;
using HcsLicensing.ServiceDefaults.Messaging;

// A bare host for now: health probes, telemetry and the bus; the UC application inventory and licensing consumers arrive with their issue.
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("Chpa");
builder.AddServiceBus(_ => { });

var app = builder.Build();
app.MapServiceDefaults();
app.Run();
