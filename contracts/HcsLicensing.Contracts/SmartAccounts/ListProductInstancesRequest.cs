namespace HcsLicensing.Contracts.SmartAccounts;

/// <summary>
/// Asks SmartAccountSync for the product instances CSSM lists in the virtual accounts of one smart account, or of every
/// configured one (CSSM's view for the license audit). Answered with <see cref="ProductInstancesListed"/>.
/// </summary>
public sealed record ListProductInstancesRequest
{
    /// <summary>One smart account's domain; null or empty: every configured smart account.</summary>
    public string? SmartAccountDomain { get; init; }
}
