namespace HcsLicensing.Console.SuiteApis;

/// <summary>CHPA: the UC cluster inventory (credentials are never answered).</summary>
public sealed class ChpaApi(HttpClient http, OperatorToken token) : SuiteApiClient(http, token)
{
    public Task<ListPage<InventoryCluster>> InventoryAsync(int page, CancellationToken cancellationToken = default) =>
        GetAsync<ListPage<InventoryCluster>>($"clusters?page={page}&pageSize=500", cancellationToken);

    /// <summary>One cluster of the inventory, or null when CHPA has none of that name.</summary>
    public Task<InventoryCluster?> ClusterAsync(string name, CancellationToken cancellationToken = default) =>
        GetOrNullAsync<InventoryCluster>($"clusters/{Query.Segment(name)}", cancellationToken);

    /// <summary>POST /clusters (hcs.admin): both credentials are required.</summary>
    public Task<InventoryCluster> AddAsync(ClusterInput input, CancellationToken cancellationToken = default) =>
        SendAsync<InventoryCluster>(HttpMethod.Post, "clusters", input, cancellationToken);

    /// <summary>PUT /clusters/{name} (hcs.admin): credentials left null stay as they are.</summary>
    public Task<InventoryCluster> ChangeAsync(string name, ClusterInput input, CancellationToken cancellationToken = default) =>
        SendAsync<InventoryCluster>(HttpMethod.Put, $"clusters/{Query.Segment(name)}", input, cancellationToken);
}

/// <summary>The body of POST /clusters and PUT /clusters/{name}; the credentials are write-only.</summary>
public sealed record ClusterInput(string? Name, string? Type, string? Version, string? PublisherAddress, Credentials? ManagementCredentials, Credentials? PlatformCredentials);

/// <summary>A user name and password as entered; never read back (CHPA answers only whether it has them).</summary>
public sealed record Credentials(string? UserName, string? Password);

/// <summary>A cluster of CHPA's inventory as last read from the cluster.</summary>
public sealed record InventoryCluster(
    string Name, string Type, string Version, string PublisherAddress, string? SmartAccountDomain, string? VirtualAccount,
    string? RegistrationState, string? LicenseMode, DateTimeOffset? LastContactAt,
    bool HasManagementCredentials = false, bool HasPlatformCredentials = false);
