using HcsLicensing.ServiceDefaults.Messaging;

namespace HcsLicensing.Chpa.LicensingRequests;

/// <summary>
/// The one queue CHPA's requests arrive on, "chpa" like the service name in HCM-F's logs ("Agent: sending to [chpa]"),
/// after the deployment's endpoint prefix. Callers send their requests there; CHPA's own registration polls come back to it.
/// </summary>
public sealed class ChpaEndpoint(string name)
{
    public const string BaseName = "chpa";

    public string Name { get; } = name;

    public Uri Address { get; } = new($"queue:{name}");

    public static ChpaEndpoint FromConfiguration(IConfiguration configuration) =>
        new($"{configuration.GetSection(BusOptions.Section).Get<BusOptions>()?.EndpointPrefix}{BaseName}");
}
