using HcsLicensing.Console.Audit;
using HcsLicensing.Console.Components;
using HcsLicensing.Console.Findings;
using HcsLicensing.Console.Jobs;
using HcsLicensing.Console.Licenses;
using HcsLicensing.Console.SignIn;
using HcsLicensing.Console.SuiteApis;
using HcsLicensing.ServiceDefaults;

// The operator console: pages over the services' HTTP APIs, called with the signed-in operator's access token so that
// each service's own permission checks apply. Static server rendering, interactive server rendering where a table
// lives (jobs, clusters). docs/console.md.
var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults("Console");
// Serve static assets (blazor.web.js, console.css) from a build output in any environment, as the suite and the tests
// run it; a published app has them in wwwroot and this finds nothing to add.
builder.WebHost.UseStaticWebAssets();
builder.AddSessionKeys(); // the session cookie's keys, shared by replicas through DataProtection:KeysPath
builder.AddOperatorSignIn();
builder.AddSuiteApis();
builder.Services.Configure<TraceLinkOptions>(builder.Configuration.GetSection(TraceLinkOptions.Section));
builder.Services.AddSingleton<TraceLinks>(); // a job's link to its trace (Console:TraceUrl, Console:JobSearchUrl)
builder.Services.AddRazorComponents().AddInteractiveServerComponents();

var app = builder.Build();

app.MapServiceDefaults();
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();
app.MapStaticAssets();
app.MapOperatorSignIn();
app.MapLicenseExports();
app.MapAuditExport();
app.MapFindingExport();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode().RequireAuthorization();

app.Run();

/// <summary>The entry point, public for WebApplicationFactory in the tests.</summary>
public partial class Program;
