namespace HcsLicensing.SmartAccountSync.Transport;

/// <summary>
/// A smart account's own route towards CSSM (a partner may reach two Cisco accounts through different proxies), keyed
/// by the smart account's domain so that it can be saved before the account is configured.
/// </summary>
public sealed class SmartAccountTransportSettings : TransportRouteSettings
{
    /// <summary>The smart account's domain, lower case.</summary>
    public string Domain { get; set; } = "";
}
