using HcsLicensing.ServiceDefaults.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace HcsLicensing.Observability.Tests.Tracing;

/// <summary>Under which name and instance a service's telemetry is reported (its OpenTelemetry resource).</summary>
public sealed class ServiceIdentityTests
{
    [Test]
    public void A_service_reports_under_its_own_name_with_an_instance_id_of_its_own()
    {
        var attributes = ResourceOf(new Dictionary<string, string?>());

        Assert.Multiple(() =>
        {
            Assert.That(attributes["service.name"], Is.EqualTo("JobTracker"));
            Assert.That(Guid.TryParse(attributes["service.instance.id"], out _), Is.True);
        });
    }

    [Test]
    public void An_orchestrators_name_and_instance_id_win_so_its_dashboard_links_the_telemetry_to_its_resource()
    {
        // What Aspire sets for a resource it starts.
        var attributes = ResourceOf(new Dictionary<string, string?>
        {
            ["OTEL_SERVICE_NAME"] = "jobtracker",
            ["OTEL_RESOURCE_ATTRIBUTES"] = "service.instance.id=jobtracker-abc123",
        });

        Assert.Multiple(() =>
        {
            Assert.That(attributes["service.name"], Is.EqualTo("jobtracker"));
            Assert.That(attributes["service.instance.id"], Is.EqualTo("jobtracker-abc123"));
        });
    }

    private static Dictionary<string, string?> ResourceOf(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder();
        foreach (var (key, value) in settings)
        {
            builder.Configuration[key] = value;
        }

        builder.AddServiceTelemetry("JobTracker");
        using var host = builder.Build();
        return host.Services.GetRequiredService<TracerProvider>().GetResource().Attributes.ToDictionary(a => a.Key, a => a.Value?.ToString());
    }
}
