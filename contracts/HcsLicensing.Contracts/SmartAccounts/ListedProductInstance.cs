namespace HcsLicensing.Contracts.SmartAccounts;

/// <summary>One product instance (a UC application registered with a token of the VA) as CSSM lists it.</summary>
public sealed record ListedProductInstance
{
    /// <summary>The smart account it is registered in.</summary>
    public required string SmartAccountDomain { get; init; }

    /// <summary>The virtual account it is registered in, as CSSM spells it.</summary>
    public required string VirtualAccount { get; init; }

    /// <summary>CSSM's id of the instance.</summary>
    public required string ProductInstanceId { get; init; }

    /// <summary>The name it registered with: the UC cluster's name.</summary>
    public required string ProductInstanceName { get; init; }

    /// <summary>The product, e.g. CUCM.</summary>
    public string? ProductType { get; init; }

    /// <summary>The software version it reported.</summary>
    public string? Version { get; init; }

    /// <summary>When the instance last contacted CSSM (its registration or last renewal), if CSSM says.</summary>
    public DateTimeOffset? LastContactAt { get; init; }
}
