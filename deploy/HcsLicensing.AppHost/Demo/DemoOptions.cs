using System.Globalization;

namespace HcsLicensing.AppHost.Demo;

/// <summary>
/// What the simulators are seeded with and what the demo does with it (section "Demo" of appsettings.json; any key can
/// be overridden on the command line, e.g. `-- --Demo:Enabled=false` or `--Demo:Cluster=cluster2-test`). The simulators
/// get their seed from here, so the demo knows the credentials without reading the simulators' own configuration.
/// </summary>
public sealed class DemoOptions
{
    public const string Section = "Demo";

    /// <summary>False: start everything, run no demo.</summary>
    public bool Enabled { get; set; } = true;

    public string SmartAccountDomain { get; set; } = "hcs-demo.example.com";

    public string SmartAccountName { get; set; } = "HCS-DEMO";

    /// <summary>The audience of the suite's tokens (Authentication:Audience of every service).</summary>
    public const string Audience = "hcs-api";

    /// <summary>
    /// The suite issuer's client for scripts and the demo (client credentials, all three permissions): what README's
    /// curl line uses. Local only: a real deployment seeds its clients from its own secret store.
    /// </summary>
    public string ApiClientId { get; set; } = "hcs-demo";

    public string ApiClientSecret { get; set; } = "hcs-demo-api-secret";

    /// <summary>The operator console's public client at the issuer (authorization code + PKCE).</summary>
    public const string ConsoleClientId = "hcs-console";

    /// <summary>The operator of the issuer's minimal login (authorization code + PKCE), holding all three permissions.</summary>
    public string OperatorUserName { get; set; } = "operator";

    public string OperatorPassword { get; set; } = "operator-demo";

    /// <summary>The CSSM API client the smart account is configured with (its id and secret are the simulator's seed).</summary>
    public string ClientId { get; set; } = "hcs-demo-client";

    public string ClientSecret { get; set; } = "hcs-demo-secret";

    public int VirtualAccounts { get; set; } = 1285;

    /// <summary>Generated clusters hcs-cl-0001... besides the two spelled out (cl1-alfa, cluster2-test).</summary>
    public int GeneratedClusters { get; set; } = 36;

    /// <summary>How long a publisher restarts when registered (the UC simulator's default is 20 s).</summary>
    public int RestartSeconds { get; set; } = 4;

    /// <summary>The cluster the demo assigns, as in Cisco's article.</summary>
    public string Cluster { get; set; } = "cl1-alfa";

    public string VirtualAccount { get; set; } = "HCS-CUST-0001";

    /// <summary>How long the demo follows a job before giving up on it.</summary>
    public TimeSpan JobTimeout { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>The clusters spelled out in the UC simulator (the seed article's two), with their credentials.</summary>
    public static IReadOnlyList<DemoCluster> NamedClusters { get; } =
    [
        new("cl1-alfa", "CUCM", "12.5.1.11900-146", "ccmadministrator", "alfa-mgmt", "osadmin", "alfa-platform"),
        new("cluster2-test", "CUCXN", "12.5.1.11900-57", "ccmadministrator", "test-mgmt", "osadmin", "test-platform", ProxyHost: "proxy.esl.cisco.com", ProxyPort: 8080),
    ];

    /// <summary>Generated clusters' names and credentials: PREFIX-0001 with passwords mgmt-0001 and platform-0001.</summary>
    public const string GeneratedPrefix = "hcs-cl";
    public const string GeneratedManagementUser = "ccmadministrator";
    public const string GeneratedManagementPassword = "mgmt";
    public const string GeneratedPlatformUser = "osadmin";
    public const string GeneratedPlatformPassword = "platform";

    /// <summary>The issuer's configuration: the script/demo client, a public console client (code + PKCE), the operator.</summary>
    public IReadOnlyDictionary<string, string> IdentitySeed
    {
        get
        {
            var seed = new Dictionary<string, string>
            {
                ["Identity__Audience"] = Audience,
                ["Identity__Clients__0__ClientId"] = ApiClientId,
                ["Identity__Clients__0__ClientSecret"] = ApiClientSecret,
                // Its redirect URI is the console's address, set where the AppHost starts the console.
                ["Identity__Clients__1__ClientId"] = ConsoleClientId,
                ["Identity__Operators__0__UserName"] = OperatorUserName,
                ["Identity__Operators__0__Password"] = OperatorPassword,
            };
            string[] permissions = ["hcs.read", "hcs.operate", "hcs.admin"];
            for (var i = 0; i < permissions.Length; i++)
            {
                seed[$"Identity__Clients__0__Scopes__{Text(i)}"] = permissions[i];
                seed[$"Identity__Clients__1__Scopes__{Text(i)}"] = permissions[i];
                seed[$"Identity__Operators__0__Permissions__{Text(i)}"] = permissions[i];
            }

            return seed;
        }
    }

    /// <summary>The CSSM simulator's configuration: one smart account with its VAs and API client.</summary>
    public IReadOnlyDictionary<string, string> CssmSeed => new Dictionary<string, string>
    {
        ["Cssm__SmartAccounts__0__Domain"] = SmartAccountDomain,
        ["Cssm__SmartAccounts__0__Name"] = SmartAccountName,
        ["Cssm__SmartAccounts__0__AccountType"] = "CUSTOMER",
        ["Cssm__SmartAccounts__0__VirtualAccounts"] = Text(VirtualAccounts),
        ["Cssm__SmartAccounts__0__Clients__0__ClientId"] = ClientId,
        ["Cssm__SmartAccounts__0__Clients__0__ClientSecret"] = ClientSecret,
    };

    /// <summary>The UC simulator's configuration: the named clusters, the generated ones, a short publisher restart.</summary>
    public IReadOnlyDictionary<string, string> UcSeed
    {
        get
        {
            var seed = new Dictionary<string, string>
            {
                ["UcSimulator__Knobs__RestartSeconds"] = Text(RestartSeconds),
                ["UcSimulator__Generated__Count"] = Text(GeneratedClusters),
                ["UcSimulator__Generated__NamePrefix"] = GeneratedPrefix,
                ["UcSimulator__Generated__ManagementUserName"] = GeneratedManagementUser,
                ["UcSimulator__Generated__ManagementPassword"] = GeneratedManagementPassword,
                ["UcSimulator__Generated__PlatformUserName"] = GeneratedPlatformUser,
                ["UcSimulator__Generated__PlatformPassword"] = GeneratedPlatformPassword,
                // Every fifth generated cluster starts registered in this VA, as a partner's existing estate would.
                ["UcSimulator__Generated__SmartAccountDomain"] = SmartAccountDomain,
                ["UcSimulator__Generated__VirtualAccount"] = VirtualAccount,
            };
            for (var i = 0; i < NamedClusters.Count; i++)
            {
                var c = NamedClusters[i];
                var key = $"UcSimulator__Clusters__{Text(i)}__";
                seed[key + "Name"] = c.Name;
                seed[key + "Type"] = c.Type;
                seed[key + "Version"] = c.Version;
                seed[key + "ManagementUserName"] = c.ManagementUserName;
                seed[key + "ManagementPassword"] = c.ManagementPassword;
                seed[key + "PlatformUserName"] = c.PlatformUserName;
                seed[key + "PlatformPassword"] = c.PlatformPassword;
                seed[key + "TransportMode"] = c.ProxyHost is null ? "Direct" : "Proxy";
                if (c.ProxyHost is not null)
                {
                    seed[key + "ProxyHost"] = c.ProxyHost;
                    seed[key + "ProxyPort"] = Text(c.ProxyPort ?? 8080);
                }
            }

            return seed;
        }
    }

    /// <summary>The credentials of a cluster the UC simulator holds, by the same rules it was seeded with.</summary>
    public static DemoCluster? Credentials(string name, string type, string version)
    {
        if (NamedClusters.FirstOrDefault(c => c.Name == name) is { } named)
        {
            return named;
        }

        var number = name.StartsWith(GeneratedPrefix + "-", StringComparison.Ordinal) ? name[(GeneratedPrefix.Length + 1)..] : null;
        return number is null
            ? null
            : new DemoCluster(name, type, version, GeneratedManagementUser, $"{GeneratedManagementPassword}-{number}", GeneratedPlatformUser, $"{GeneratedPlatformPassword}-{number}");
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>A UC cluster as seeded in the simulator and added to CHPA's inventory.</summary>
public sealed record DemoCluster(
    string Name, string Type, string Version,
    string ManagementUserName, string ManagementPassword, string PlatformUserName, string PlatformPassword,
    string? ProxyHost = null, int? ProxyPort = null);
