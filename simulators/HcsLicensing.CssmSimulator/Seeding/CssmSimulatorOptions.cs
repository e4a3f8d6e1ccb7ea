using HcsLicensing.CssmSimulator.Faults;

namespace HcsLicensing.CssmSimulator.Seeding;

/// <summary>The simulator's configuration ("Cssm" section): what CSSM holds at start and how it misbehaves.</summary>
public sealed class CssmSimulatorOptions
{
    public const string Section = "Cssm";

    /// <summary>
    /// Where the OAuth2 token endpoint listens. cloudsso.cisco.com used /as/token.oauth2; id.cisco.com uses
    /// /oauth2/default/v1/token. Both forms are answered when this is left at its default.
    /// </summary>
    public string TokenPath { get; set; } = "/as/token.oauth2";

    /// <summary>expires_in of issued bearer tokens (Cisco's sample shows 3599).</summary>
    public int TokenLifetimeSeconds { get; set; } = 3599;

    /// <summary>The longest expiresAfterDays a registration token may be created with.</summary>
    public int RegistrationTokenMaxDays { get; set; } = 365;

    public List<SmartAccountSeed> SmartAccounts { get; set; } = [];

    /// <summary>
    /// The license a registered product instance consumes in its VA, by product type (as the UC simulator registers it:
    /// CUCM, CUCXN, ...). A type not listed (IM and Presence: licensed through CUCM's users) consumes nothing.
    /// </summary>
    public Dictionary<string, string> ProductLicenses { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["CUCM"] = "UC Manager Enhanced License (12.x)",
        ["CUCXN"] = "Unity Connection Enhanced Messaging (12.x)",
        ["CER"] = "Emergency Responder User License (12.x)",
        ["UCCX"] = "Contact Center Express Premium Seat (12.x)",
        ["EXPRESSWAY"] = "Expressway Rich Media Session (X12)",
    };

    /// <summary>Units of that license one registered product instance uses (0: registrations consume nothing).</summary>
    public int LicensesPerRegistration { get; set; } = 1;

    public FaultSettings Faults { get; set; } = new();
}

/// <summary>A smart account, its API clients and how many virtual accounts it is seeded with.</summary>
public sealed class SmartAccountSeed
{
    public string Domain { get; set; } = "";

    public string Name { get; set; } = "";

    /// <summary>CUSTOMER or HOLDING, as swapi names account types.</summary>
    public string AccountType { get; set; } = "CUSTOMER";

    /// <summary>How many virtual accounts (1,285 in the seed article's list); scales to 10,000 and more.</summary>
    public int VirtualAccounts { get; set; } = 1285;

    /// <summary>The share of virtual accounts synced through a satellite (0..1), spread evenly over the list.</summary>
    public double SatelliteShare { get; set; } = 0.1;

    /// <summary>The share of virtual accounts with commerceAccessLevel PRIVATE (0..1); the rest are PUBLIC.</summary>
    public double PrivateShare { get; set; } = 0.25;

    /// <summary>License lines per virtual account in the license usage report.</summary>
    public int LicensesPerVirtualAccount { get; set; } = 3;

    /// <summary>Prefix of the generated virtual account names: PREFIX-0001, PREFIX-0002, ...</summary>
    public string VirtualAccountPrefix { get; set; } = "HCS-CUST";

    /// <summary>The API clients (client credentials) that may act on this smart account.</summary>
    public List<ClientSeed> Clients { get; set; } = [];
}

/// <summary>An API client registered at Cisco ("API Service" application with the Smart Account API grant).</summary>
public sealed class ClientSeed
{
    public string ClientId { get; set; } = "";

    public string ClientSecret { get; set; } = "";
}
