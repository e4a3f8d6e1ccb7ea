using HcsLicensing.ServiceDefaults.Messaging;

namespace HcsLicensing.Chpa.LicensingRequests;

/// <summary>
/// The one queue CHPA's requests arrive on, "chpa" like the service name in HCM-F's logs ("Agent: sending to [chpa]"),
/// after the deployment's endpoint prefix. Callers send their requests there; CHPA's own registration polls come back to it.
/// </summary>
public sealed class ChpaEndpoint(string name, Uri address)
{
    public const string BaseName = "chpa";

    public string Name { get; } = name;

    public Uri Address { get; } = address;

    public static ChpaEndpoint FromConfiguration(IConfiguration configuration)
    {
        var addresses = EndpointAddresses.From(configuration);
        return new(addresses.Name(BaseName), addresses.Queue(BaseName));
    }
}
