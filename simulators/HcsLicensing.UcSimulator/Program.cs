using HcsLicensing.UcSimulator;

// UC application simulator: thousands of CUCM, Unity Connection, ... clusters, each with the licensing API CHPA drives
// (docs/uc-simulator.md), registering with the CSSM simulator. Listens where ASPNETCORE_URLS says.
var app = UcSimulatorApp.Build(args);
app.Run();

/// <summary>The entry point, public for WebApplicationFactory in the tests.</summary>
public partial class Program;
