using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace HcsLicensing.Chpa.Tests.Support;

/// <summary>What a test needs of the CSSM simulator: ID tokens of a virtual account, and the product instances registered in it.</summary>
public sealed class CssmClient(HttpClient http)
{
    public const string Domain = "hcs-demo.example.com";
    public const string ClientId = "chpa-tests";
    public const string ClientSecret = "chpa-tests-secret";

    public Uri BaseAddress => http.BaseAddress!;

    /// <summary>A fresh registration (ID) token of <paramref name="virtualAccount"/>, created the way HCM-F creates them: through swapi.</summary>
    public async Task<string> CreateIdTokenAsync(string virtualAccount)
    {
        using var tokenResponse = await http.PostAsync(
            new Uri("/as/token.oauth2", UriKind.Relative),
            new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["client_id"] = ClientId, ["client_secret"] = ClientSecret }));
        tokenResponse.EnsureSuccessStatusCode();
        var bearer = (string)(await tokenResponse.Content.ReadFromJsonAsync<JsonObject>())!["access_token"]!;

        using var request = new HttpRequestMessage(HttpMethod.Post, $"/services/api/smart-accounts-and-licensing/v1/accounts/{Domain}/virtual-accounts/{virtualAccount}/tokens")
        {
            Content = JsonContent.Create(new { description = "CHPA test", expiresAfterDays = 30, exportControlled = "Not Allowed" }),
        };
        request.Headers.Authorization = new("Bearer", bearer);
        using var created = await http.SendAsync(request);
        created.EnsureSuccessStatusCode();
        return (string)(await created.Content.ReadFromJsonAsync<JsonObject>())!["tokenInfo"]!["token"]!;
    }

    /// <summary>The names of the product instances registered in the virtual account.</summary>
    public async Task<IReadOnlyList<string>> ProductInstanceNamesAsync(string virtualAccount)
    {
        var instances = await http.GetFromJsonAsync<JsonArray>(new Uri($"/sim/inspect/virtual-accounts/{Domain}/{virtualAccount}/product-instances", UriKind.Relative));
        return [.. instances!.Select(i => (string)i!["productInstanceName"]!)];
    }
}
