namespace HcsLicensing.Console.SuiteApis;

/// <summary>CHPA: the UC cluster inventory (credentials are never answered).</summary>
public sealed class ChpaApi(HttpClient http, OperatorToken token) : SuiteApiClient(http, token)
{
    public Task<ListPage<InventoryCluster>> InventoryAsync(int page, CancellationToken cancellationToken = default) =>
        GetAsync<ListPage<InventoryCluster>>($"clusters?page={page}&pageSize=500", cancellationToken);
}

/// <summary>A cluster of CHPA's inventory as last read from the cluster.</summary>
public sealed record InventoryCluster(
    string Name, string Type, string Version, string PublisherAddress, string? SmartAccountDomain, string? VirtualAccount,
    string? RegistrationState, string? LicenseMode, DateTimeOffset? LastContactAt);
