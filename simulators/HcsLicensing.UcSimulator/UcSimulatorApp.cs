using System.Text.Json.Serialization;
using HcsLicensing.UcSimulator.Admin;
using HcsLicensing.UcSimulator.Clusters;
using HcsLicensing.UcSimulator.Cssm;
using HcsLicensing.UcSimulator.Faults;
using HcsLicensing.UcSimulator.Licensing;
using HcsLicensing.UcSimulator.Seeding;
using Microsoft.Extensions.Options;
using Refit;

namespace HcsLicensing.UcSimulator;

/// <summary>
/// Builds the UC simulator as a WebApplication. Program runs it; tests call <see cref="Build"/> with their own settings
/// (e.g. urls http://127.0.0.1:0) and start it on a real TCP port that CHPA reaches like any publisher.
/// </summary>
public static class UcSimulatorApp
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        builder.Services.Configure<UcSimulatorOptions>(builder.Configuration.GetSection(UcSimulatorOptions.Section));
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        builder.Services.AddProblemDetails();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(services =>
        {
            var store = new ClusterStore();
            ClusterSeeder.Seed(store, services.GetRequiredService<IOptions<UcSimulatorOptions>>().Value);
            return store;
        });
        builder.Services.AddSingleton(services => new KnobBoard(services.GetRequiredService<IOptions<UcSimulatorOptions>>().Value.Knobs));
        builder.Services.AddSingleton<PublisherGate>();
        builder.Services.AddSingleton<RegistrationMeter>();
        builder.Services.AddSingleton<PublisherTraffic>();
        builder.Services.AddSingleton<SmartAgent>();
        builder.Services.AddRefitGeneratedClient<ICssmDeviceApi>()
            .ConfigureHttpClient((services, http) => http.BaseAddress = services.GetRequiredService<IOptions<UcSimulatorOptions>>().Value.CssmBaseAddress);

        var app = builder.Build();

        // Seed before the first request, so that a simulator that answers is a simulator with all its clusters.
        app.Logger.LogInformation("UC simulator holds {Count} clusters", app.Services.GetRequiredService<ClusterStore>().Count);

        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapGet("/health", () => "Healthy");
        app.MapLicensingApi();
        app.MapAdminApi();
        return app;
    }
}
