using System.Text.Json.Serialization;
using HcsLicensing.CssmSimulator.Devices;
using HcsLicensing.CssmSimulator.Faults;
using HcsLicensing.CssmSimulator.Inspection;
using HcsLicensing.CssmSimulator.OAuth;
using HcsLicensing.CssmSimulator.Seeding;
using HcsLicensing.CssmSimulator.State;
using HcsLicensing.CssmSimulator.Swapi;
using Microsoft.Extensions.Options;

namespace HcsLicensing.CssmSimulator;

/// <summary>
/// Builds the simulator as a WebApplication. Program runs it; tests and benchmarks call <see cref="Build"/> with
/// their own settings (e.g. urls http://127.0.0.1:0) and start it on a real TCP port other processes can reach.
/// </summary>
public static class CssmSimulatorApp
{
    /// <summary>id.cisco.com's token path, answered besides the configured one so either client configuration works.</summary>
    public const string IdCiscoTokenPath = "/oauth2/default/v1/token";

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        builder.Services.Configure<CssmSimulatorOptions>(builder.Configuration.GetSection(CssmSimulatorOptions.Section));
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull);
        builder.Services.AddSingleton<SimulatedClock>();
        builder.Services.AddSingleton<CssmStore>();
        builder.Services.AddSingleton<CallLog>();
        builder.Services.AddSingleton(sp => new OAuthServer(sp.GetRequiredService<SimulatedClock>())
        {
            TokenLifetimeSeconds = sp.GetRequiredService<IOptions<CssmSimulatorOptions>>().Value.TokenLifetimeSeconds,
        });
        builder.Services.AddSingleton(sp => new FaultInjector(sp.GetRequiredService<IOptions<CssmSimulatorOptions>>().Value.Faults));

        var app = builder.Build();
        var options = app.Services.GetRequiredService<IOptions<CssmSimulatorOptions>>().Value;
        Seeder.Seed(app.Services.GetRequiredService<CssmStore>(), app.Services.GetRequiredService<OAuthServer>(), options);

        var tokenPaths = new HashSet<string>([options.TokenPath, IdCiscoTokenPath], StringComparer.OrdinalIgnoreCase);
        app.UseMiddleware<CssmTrafficMiddleware>(tokenPaths);
        // Cisco answers every error with a JSON body, so a client can always read one: an error without a body of its own
        // (an unreadable request body, an unknown path or method) gets swapi's {"status":"ERROR","statusMessage"}.
        app.UseStatusCodePages(async pages =>
        {
            var http = pages.HttpContext;
            if (http.Request.Path.StartsWithSegments(CssmTrafficMiddleware.SwapiPrefix, StringComparison.OrdinalIgnoreCase))
            {
                await http.Response.WriteAsJsonAsync(new StatusResponse("ERROR", SwapiAccess.Describe(http.Response.StatusCode)));
            }
        });
        TokenEndpoint.Map(app, tokenPaths);

        var swapi = app.MapGroup(CssmTrafficMiddleware.SwapiPrefix).RequireBearer();
        AccountEndpoints.Map(swapi);
        VirtualAccountEndpoints.Map(swapi);
        TokenEndpoints.Map(swapi);
        LicenseEndpoints.Map(swapi);
        DeviceSearchEndpoints.Map(swapi);

        DeviceEndpoints.Map(app);
        InspectionEndpoints.Map(app);
        ControlEndpoints.Map(app);
        app.MapGet("/health", () => "Healthy");
        return app;
    }
}
