using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using HcsLicensing.CssmSimulator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace HcsLicensing.CssmSimulator.Tests;

/// <summary>The simulator on a real TCP port of 127.0.0.1, seeded with one smart account, and a client that talks to it.</summary>
internal sealed class SimulatorServer : IAsyncDisposable
{
    public const string Domain = "hcs-demo.example.com";
    public const string ClientId = "hcs-demo-client";
    public const string ClientSecret = "hcs-demo-secret";
    public const string Swapi = "/services/api/smart-accounts-and-licensing";

    private readonly WebApplication _app;

    private SimulatorServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
        Http = new HttpClient { BaseAddress = address };
    }

    public Uri Address { get; }

    public HttpClient Http { get; }

    public static async Task<SimulatorServer> StartAsync(int virtualAccounts = 1285, IDictionary<string, string?>? settings = null)
    {
        var app = CssmSimulatorApp.Build([], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Cssm:SmartAccounts:0:Domain"] = Domain,
                ["Cssm:SmartAccounts:0:Name"] = "HCS-DEMO",
                ["Cssm:SmartAccounts:0:VirtualAccounts"] = virtualAccounts.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Cssm:SmartAccounts:0:Clients:0:ClientId"] = ClientId,
                ["Cssm:SmartAccounts:0:Clients:0:ClientSecret"] = ClientSecret,
            });
            if (settings is not null)
            {
                builder.Configuration.AddInMemoryCollection(settings);
            }
        });
        await app.StartAsync();
        return new SimulatorServer(app, new Uri(app.Urls.First()));
    }

    public async Task<HttpResponseMessage> RequestTokenAsync(string clientId = ClientId, string secret = ClientSecret, string grantType = "client_credentials") =>
        await Http.PostAsync(new Uri("/as/token.oauth2", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = grantType,
            ["client_id"] = clientId,
            ["client_secret"] = secret,
        }));

    /// <summary>Gets a bearer token and puts it on every later request of <see cref="Http"/>.</summary>
    public async Task AuthorizeAsync()
    {
        using var response = await RequestTokenAsync();
        response.EnsureSuccessStatusCode();
        var token = (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["access_token"]!;
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    public async Task<JsonNode> GetJsonAsync(string path) => JsonNode.Parse(await Http.GetStringAsync(new Uri(path, UriKind.Relative)))!;

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.DisposeAsync();
    }
}
