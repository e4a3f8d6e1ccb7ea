using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace HcsLicensing.Chpa.Tests.Support;

/// <summary>The UC simulator's admin API: put clusters, turn their knobs, read their state and counters.</summary>
public sealed class UcAdminClient(HttpClient http)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public HttpClient Http => http;

    public async Task PutClusterAsync(ClusterSpec cluster, object? knobs = null, string licenseMode = "Enterprise", object? transport = null)
    {
        using var response = await http.PutAsJsonAsync(
            new Uri($"/admin/clusters/{cluster.Name}", UriKind.Relative),
            new
            {
                type = cluster.Type,
                version = cluster.Version,
                publisher = cluster.Publisher,
                managementUserName = cluster.ManagementUserName,
                managementPassword = cluster.ManagementPassword,
                platformUserName = cluster.PlatformUserName,
                platformPassword = cluster.PlatformPassword,
                licenseMode,
                transport,
                knobs,
            },
            Json);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Replaces the cluster's knobs, e.g. new { unreachable = true } or new { latencyMs = 3000 }.</summary>
    public async Task SetKnobsAsync(string clusterName, object knobs)
    {
        using var response = await http.PutAsJsonAsync(new Uri($"/admin/clusters/{clusterName}/knobs", UriKind.Relative), knobs, Json);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Every publisher host called so far, with how many calls carried credentials (GET /admin/traffic).</summary>
    public async Task<IReadOnlyList<SimPublisherTraffic>> GetTrafficAsync() =>
        (await http.GetFromJsonAsync<List<SimPublisherTraffic>>(new Uri("/admin/traffic", UriKind.Relative), Json))!;

    public async Task<SimClusterView> GetClusterAsync(string clusterName) =>
        (await http.GetFromJsonAsync<SimClusterView>(new Uri($"/admin/clusters/{clusterName}", UriKind.Relative), Json))!;
}

/// <summary>GET /admin/clusters/{name}, as much as tests read.</summary>
public sealed record SimClusterView(
    string Name,
    string LicenseMode,
    SimTransportView Transport,
    SimRegistrationView Registration,
    string Authorization,
    bool Restarting,
    int RegisterRequests);

public sealed record SimPublisherTraffic(string Publisher, bool Known, int Requests, int RequestsWithCredentials);

public sealed record SimTransportView(string Mode, string? Url, string? Host, int? Port);

public sealed record SimRegistrationView(string State, string? SmartAccountDomain, string? VirtualAccount, string? ProductInstanceId, string? FailureReason);
