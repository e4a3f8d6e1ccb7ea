using HcsLicensing.UcSimulator.Clusters;

namespace HcsLicensing.UcSimulator.Seeding;

/// <summary>Fills the store from configuration when the simulator starts.</summary>
public static class ClusterSeeder
{
    public static void Seed(ClusterStore store, UcSimulatorOptions options)
    {
        var generated = options.Generated;
        for (var i = 1; i <= generated.Count; i++)
        {
            store.Put(Generate(generated, i));
        }

        foreach (var seed in options.Clusters)
        {
            store.Put(FromSeed(seed));
        }
    }

    public static SimClusterDefinition Generate(GeneratedClusters rule, int number)
    {
        var name = $"{rule.NamePrefix}-{number:D4}";
        var registered = number % 5 == 0;
        return new SimClusterDefinition
        {
            Name = name,
            Type = rule.Types[(number - 1) % rule.Types.Count],
            Version = rule.Versions[(number - 1) % rule.Versions.Count],
            Publisher = $"{name}-pub.{rule.PublisherDomain}",
            Management = new SimCredentials(rule.ManagementUserName, $"{rule.ManagementPassword}-{number:D4}"),
            Platform = new SimCredentials(rule.PlatformUserName, $"{rule.PlatformPassword}-{number:D4}"),
            LicenseMode = registered || number % 2 == 0 ? SimLicenseMode.HCS : SimLicenseMode.Enterprise,
            Transport = number % 3 == 0 ? new SimTransport(SimTransportMode.Proxy, Host: "proxy.esl.cisco.com", Port: 8080)
                : number % 7 == 0 ? new SimTransport(SimTransportMode.TransportGateway, Url: $"https://tg.{rule.PublisherDomain}/Transportgateway/services/DeviceRequestHandler")
                : SimTransport.Direct,
            Registration = registered
                ? new SimRegistration
                {
                    State = SimRegistrationState.Registered,
                    Authorization = SimAuthorizationState.Authorized,
                    SmartAccountDomain = rule.SmartAccountDomain,
                    VirtualAccount = rule.VirtualAccount,
                    ProductInstanceId = new Guid(number, 0, 0, new byte[8]).ToString(),
                }
                : SimRegistration.Unregistered,
        };
    }

    public static SimClusterDefinition FromSeed(ClusterSeed seed) => new()
    {
        Name = seed.Name,
        Type = seed.Type,
        Version = seed.Version,
        Publisher = string.IsNullOrWhiteSpace(seed.Publisher) ? $"{seed.Name}-pub.hcs.example" : seed.Publisher,
        Management = new SimCredentials(seed.ManagementUserName, seed.ManagementPassword),
        Platform = new SimCredentials(seed.PlatformUserName, seed.PlatformPassword),
        LicenseMode = Enum.Parse<SimLicenseMode>(seed.LicenseMode, ignoreCase: true),
        Transport = new SimTransport(Enum.Parse<SimTransportMode>(seed.TransportMode, ignoreCase: true), seed.TransportUrl, seed.ProxyHost, seed.ProxyPort),
    };
}
