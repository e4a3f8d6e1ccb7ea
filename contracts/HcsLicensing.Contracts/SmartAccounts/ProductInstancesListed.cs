namespace HcsLicensing.Contracts.SmartAccounts;

/// <summary>The answer to <see cref="ListProductInstancesRequest"/>: what CSSM lists now, read when the request came.</summary>
public sealed record ProductInstancesListed
{
    /// <summary>Every product instance of the smart accounts that could be read.</summary>
    public required IReadOnlyList<ListedProductInstance> ProductInstances { get; init; }

    /// <summary>Smart accounts whose product instances could not be read (CSSM away, credentials refused): their view is unknown, not empty.</summary>
    public IReadOnlyList<ProductInstanceListFailure> Failures { get; init; } = [];

    /// <summary>The smart accounts that were read.</summary>
    public IReadOnlyList<string> SmartAccountDomains { get; init; } = [];
}
