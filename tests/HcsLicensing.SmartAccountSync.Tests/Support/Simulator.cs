extern alias cssm;

using System.Net.Http.Json;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using cssm::HcsLicensing.CssmSimulator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace HcsLicensing.SmartAccountSync.Tests.Support;

/// <summary>
/// The CSSM simulator on a real port of 127.0.0.1, seeded with two smart accounts (HCS-DEMO with 1,285 VAs unless told
/// otherwise, HCS-OTHER with 40), each with its own API client; plus the simulator's inspection and control calls.
/// </summary>
internal sealed class Simulator : IAsyncDisposable
{
    public const string Domain = "hcs-demo.example.com";
    public const string ClientId = "hcs-demo-client";
    public const string OtherDomain = "hcs-other.example.com";
    public const string OtherClientId = "hcs-other-client";
    public const string OtherSecret = "hcs-other-secret";

    private readonly WebApplication _app;

    private Simulator(WebApplication app, Uri address, string secret, HttpMessageHandler handler)
    {
        _app = app;
        Address = address;
        Secret = secret;
        Http = new HttpClient(handler) { BaseAddress = address };
    }

    public Uri Address { get; }

    /// <summary>HCS-DEMO's client secret: distinctive per test, so a leak can be searched for.</summary>
    public string Secret { get; }

    public HttpClient Http { get; }

    public Uri TokenUrl => new(Address, "/as/token.oauth2");

    public Uri SwapiBaseUrl => new(Address, "/services/api/smart-accounts-and-licensing/");

    /// <summary>
    /// Starts a simulator; <paramref name="secret"/> gives HCS-DEMO's client the secret of another (a second CSSM the same
    /// client may call); <paramref name="tls"/> serves HTTPS with that certificate (its CA is the test's to trust).
    /// </summary>
    public static async Task<Simulator> StartAsync(int virtualAccounts = 1285, int tokenLifetimeSeconds = 3599, string? secret = null, SimulatorTls? tls = null)
    {
        secret ??= $"S3cr3t-{Guid.NewGuid():N}";
        var app = CssmSimulatorApp.Build([], builder =>
        {
            builder.WebHost.UseUrls(tls is null ? "http://127.0.0.1:0" : "https://127.0.0.1:0");
            if (tls is not null)
            {
                var certificate = X509Certificate2.CreateFromPemFile(tls.CertificatePath, tls.KeyPath);
                builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https => https.ServerCertificate = certificate));
            }

            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Cssm:TokenLifetimeSeconds"] = tokenLifetimeSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Cssm:SmartAccounts:0:Domain"] = Domain,
                ["Cssm:SmartAccounts:0:Name"] = "HCS-DEMO",
                ["Cssm:SmartAccounts:0:VirtualAccounts"] = virtualAccounts.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Cssm:SmartAccounts:0:Clients:0:ClientId"] = ClientId,
                ["Cssm:SmartAccounts:0:Clients:0:ClientSecret"] = secret,
                ["Cssm:SmartAccounts:1:Domain"] = OtherDomain,
                ["Cssm:SmartAccounts:1:Name"] = "HCS-OTHER",
                ["Cssm:SmartAccounts:1:VirtualAccounts"] = "40",
                ["Cssm:SmartAccounts:1:VirtualAccountPrefix"] = "OTHER-CUST",
                ["Cssm:SmartAccounts:1:Clients:0:ClientId"] = OtherClientId,
                ["Cssm:SmartAccounts:1:Clients:0:ClientSecret"] = OtherSecret,
            });
        });
        await app.StartAsync();
        var handler = new SocketsHttpHandler();
        if (tls is not null)
        {
            var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            policy.CustomTrustStore.ImportFromPemFile(tls.AuthorityPath);
            handler.SslOptions = new SslClientAuthenticationOptions { CertificateChainPolicy = policy };
        }

        return new Simulator(app, new Uri(app.Urls.First()), secret, handler);
    }

    /// <summary>The names of HCS-DEMO's VAs that CSSM syncs via satellite.</summary>
    public async Task<IReadOnlyList<string>> SatelliteNamesAsync(string domain = Domain)
    {
        var accounts = JsonNode.Parse(await Http.GetStringAsync(new Uri("/sim/inspect/smart-accounts", UriKind.Relative)))!.AsArray();
        var account = accounts.Single(a => (string?)a!["domain"] == domain)!;
        return [.. account["satelliteSyncedNames"]!.AsArray().Select(n => (string)n!)];
    }

    /// <summary>How often CSSM was called on a path ending with <paramref name="pathEnd"/>, by answered status ("all" for every status).</summary>
    public async Task<int> CallsAsync(string method, string pathEnd, string status = "all")
    {
        var calls = JsonNode.Parse(await Http.GetStringAsync(new Uri("/sim/inspect/calls", UriKind.Relative)))!.AsArray();
        return calls
            .Where(c => (string?)c!["method"] == method && ((string)c["path"]!).EndsWith(pathEnd, StringComparison.Ordinal))
            .Sum(c => status == "all" ? (int)c!["count"]! : (int?)c!["byStatus"]![status] ?? 0);
    }

    public async Task<JsonNode> OAuthAsync() => JsonNode.Parse(await Http.GetStringAsync(new Uri("/sim/inspect/oauth", UriKind.Relative)))!;

    public async Task SetFaultsAsync(object faults) =>
        (await Http.PutAsJsonAsync(new Uri("/sim/control/faults", UriKind.Relative), faults)).EnsureSuccessStatusCode();

    public async Task AddVirtualAccountAsync(string name, string accessLevel = "PUBLIC", bool satellite = false) =>
        (await Http.PostAsJsonAsync(new Uri($"/sim/control/smart-accounts/{Domain}/virtual-accounts", UriKind.Relative),
            new { name, description = $"{name} added in CSSM", commerceAccessLevel = accessLevel, satelliteSynced = satellite })).EnsureSuccessStatusCode();

    public async Task RemoveVirtualAccountAsync(string name) =>
        (await Http.DeleteAsync(new Uri($"/sim/control/smart-accounts/{Domain}/virtual-accounts/{name}", UriKind.Relative))).EnsureSuccessStatusCode();

    /// <summary>Replaces what a VA of HCS-DEMO bought and uses (the simulator's knob; registrations still add their use).</summary>
    public async Task SetLicensesAsync(string virtualAccount, object licenses) =>
        (await Http.PutAsJsonAsync(new Uri($"/sim/control/smart-accounts/{Domain}/virtual-accounts/{virtualAccount}/licenses", UriKind.Relative), licenses)).EnsureSuccessStatusCode();

    /// <summary>CSSM's own license report of one VA of HCS-DEMO, as swapi answers it.</summary>
    public async Task<JsonArray> LicenseReportAsync(string virtualAccount)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/services/api/smart-accounts-and-licensing/v1/accounts/" + Domain + "/licenses", UriKind.Relative))
        {
            Content = JsonContent.Create(new { virtualAccounts = new[] { virtualAccount }, limit = 1000, offset = 0 }),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", await BearerAsync());
        using var response = await Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["licenses"]!.AsArray();
    }

    /// <summary>
    /// Registers a product instance into a VA of HCS-DEMO as a UC application would (a registration token of the VA,
    /// then the device side): it consumes its type's license there.
    /// </summary>
    public async Task<string> RegisterProductInstanceAsync(string virtualAccount, string name, string productType)
    {
        using var tokenRequest = new HttpRequestMessage(HttpMethod.Post, new Uri($"/services/api/smart-accounts-and-licensing/v1/accounts/{Domain}/virtual-accounts/{virtualAccount}/tokens", UriKind.Relative))
        {
            Content = JsonContent.Create(new { description = "test", expiresAfterDays = 30, exportControlled = "Not Allowed" }),
        };
        tokenRequest.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", await BearerAsync());
        using var created = await Http.SendAsync(tokenRequest);
        created.EnsureSuccessStatusCode();
        var token = (string)JsonNode.Parse(await created.Content.ReadAsStringAsync())!["tokenInfo"]!["token"]!;
        using var registered = await Http.PostAsJsonAsync(new Uri("/sim/devices/register", UriKind.Relative), new { idToken = token, productInstanceName = name, productType, version = "12.5" });
        registered.EnsureSuccessStatusCode();
        return (string)JsonNode.Parse(await registered.Content.ReadAsStringAsync())!["productInstanceId"]!;
    }

    private async Task<string> BearerAsync()
    {
        using var response = await Http.PostAsync(TokenUrl, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = ClientId,
            ["client_secret"] = Secret,
        }));
        response.EnsureSuccessStatusCode();
        return (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["access_token"]!;
    }

    public async Task ControlAsync(string path, object? body = null) =>
        (await Http.PostAsJsonAsync(new Uri($"/sim/control/{path}", UriKind.Relative), body ?? new { })).EnsureSuccessStatusCode();

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.DisposeAsync();
    }
}

/// <summary>The simulator's HTTPS certificate and key (PEM) and the CA (PEM) that issued them.</summary>
internal sealed record SimulatorTls(string CertificatePath, string KeyPath, string AuthorityPath)
{
    /// <summary>A throwaway CA and a certificate of it for 127.0.0.1 only, in <paramref name="directory"/>.</summary>
    public static async Task<SimulatorTls> CreateAsync(string directory)
    {
        var authority = await HcsLicensing.TestBed.TestCertificateAuthority.CreateAsync(directory, "cssm-ca");
        var (certificate, key) = await authority.IssueServerCertificateAsync(directory, "cssm", ["127.0.0.1"]);
        return new SimulatorTls(certificate, key, authority.CertificatePath);
    }
}
