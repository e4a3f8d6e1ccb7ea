using HcsLicensing.ServiceDefaults;
using HcsLicensing.ServiceDefaults.Messaging;

// A bare host for now: health probes, telemetry and the bus; the ClusterOperation saga (assign, unassign, reassign) arrives with its issue.
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("ClusterAssign");
builder.AddServiceBus(_ => { });

var app = builder.Build();
app.MapServiceDefaults();
app.Run();
