using HcsLicensing.CssmSimulator;

// CSSM simulator: OAuth2 token endpoint, swapi, the device side UC applications register through, and
// inspection/control endpoints for tests. Listens where ASPNETCORE_URLS says.
var app = CssmSimulatorApp.Build(args);
app.Run();

/// <summary>The entry point, public for WebApplicationFactory in the tests.</summary>
public partial class Program;
