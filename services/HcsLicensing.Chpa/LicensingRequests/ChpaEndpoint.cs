using HcsLicensing.ServiceDefaults.Messaging;

namespace HcsLicensing.Chpa.LicensingRequests;

/// <summary>
/// The one queue CHPA's requests arrive on, "chpa" like the service name in HCM-F's logs ("Agent: sending to [chpa]"),
/// after the deployment's endpoint prefix. Callers send their requests there; CHPA's own registration polls come back to it.
/// </summary>
public sealed class ChpaEndpoint(string name, Uri address, string licenseAuditName)
{
    public const string BaseName = "chpa";

    /// <summary>
    /// The license audit's lane: its VerifyClusterRequests (thousands per audit) arrive on a queue of their own, so that
    /// an assignment's requests on "chpa" never wait behind them, and CHPA runs only a few of them at once
    /// (Messaging:ConcurrentMessageLimits:chpa-license-audit, 4), so that they leave the CPU to assignments (docs/audit.md).
    /// </summary>
    public const string LicenseAuditName = "chpa-license-audit";

    public string Name { get; } = name;

    public Uri Address { get; } = address;

    /// <summary><see cref="LicenseAuditName"/> after the deployment's endpoint prefix.</summary>
    public string LicenseAudit { get; } = licenseAuditName;

    public static ChpaEndpoint FromConfiguration(IConfiguration configuration)
    {
        var addresses = EndpointAddresses.From(configuration);
        return new(addresses.Name(BaseName), addresses.Queue(BaseName), addresses.Name(LicenseAuditName));
    }
}
