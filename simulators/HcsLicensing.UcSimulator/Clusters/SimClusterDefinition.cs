namespace HcsLicensing.UcSimulator.Clusters;

/// <summary>What a cluster starts with, from configuration (seeding) or from the admin API.</summary>
public sealed record SimClusterDefinition
{
    public required string Name { get; init; }

    /// <summary>CUCM, CUCXN, IMP, UCCX, CER, EXPRESSWAY.</summary>
    public required string Type { get; init; }

    /// <summary>Active version, e.g. "12.5.1.11900-146".</summary>
    public required string Version { get; init; }

    public required string Publisher { get; init; }

    public required SimCredentials Management { get; init; }

    public required SimCredentials Platform { get; init; }

    public SimLicenseMode LicenseMode { get; init; } = SimLicenseMode.Enterprise;

    public SimTransport Transport { get; init; } = SimTransport.Direct;

    public SimRegistration Registration { get; init; } = SimRegistration.Unregistered;

    public SimKnobs Knobs { get; init; } = new();
}
