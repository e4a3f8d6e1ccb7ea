using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace HcsLicensing.Console.SuiteApis;

/// <summary>What the four typed clients share: the operator's bearer token on every call, JSON both ways, problems as <see cref="SuiteApiException"/>.</summary>
public abstract class SuiteApiClient(HttpClient http, OperatorToken token)
{
    protected static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    protected async Task<T> GetAsync<T>(string path, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Get, path, null, cancellationToken);
        return (await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken))!;
    }

    /// <summary>GET that answers null for 404 (a cluster no operation has touched, a smart account not configured).</summary>
    protected async Task<T?> GetOrNullAsync<T>(string path, CancellationToken cancellationToken = default)
        where T : class
    {
        try
        {
            return await GetAsync<T>(path, cancellationToken);
        }
        catch (SuiteApiException e) when (e.Status == 404)
        {
            return null;
        }
    }

    protected async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(method, path, body, cancellationToken);
        return (await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken))!;
    }

    protected async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await token.GetAsync());
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: Json);
        }

        var response = await http.SendAsync(request, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            throw await ProblemOf(response, cancellationToken);
        }
    }

    private static async Task<SuiteApiException> ProblemOf(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        try
        {
            var problem = await response.Content.ReadFromJsonAsync<Problem>(Json, cancellationToken);
            if (problem is not null)
            {
                return new SuiteApiException(status, problem.Title ?? response.ReasonPhrase ?? "Refused", problem.Detail, problem.Errors);
            }
        }
        catch (JsonException)
        {
            // Not a problem document: the status says it.
        }

        return new SuiteApiException(status, response.ReasonPhrase ?? "Refused", null);
    }

    private sealed record Problem(string? Title, string? Detail, Dictionary<string, string[]>? Errors);
}
