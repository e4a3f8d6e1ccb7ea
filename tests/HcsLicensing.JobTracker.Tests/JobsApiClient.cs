using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HcsLicensing.JobTracker.Jobs;

namespace HcsLicensing.JobTracker.Tests;

/// <summary>The jobs API as an operator's client sees it, over HTTP with the service's JSON.</summary>
internal sealed class JobsApiClient(HttpClient http)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public HttpClient Http { get; } = http;

    /// <summary>The job, or null while JobTracker does not know it (404).</summary>
    public async Task<JobDto?> GetJobAsync(Guid jobId)
    {
        using var response = await Http.GetAsync(new Uri($"/jobs/{jobId}", UriKind.Relative));
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JobDto>(Json);
    }

    /// <summary>Polls GET /jobs/{id} until <paramref name="done"/> holds; fails the test with the last answer at the deadline.</summary>
    public async Task<JobDto> WaitForJobAsync(Guid jobId, Func<JobDto, bool> done, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var job = await GetJobAsync(jobId);
            if (job is not null && done(job))
            {
                return job;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"job {jobId} did not reach the expected state in time; last seen: {JsonSerializer.Serialize(job, Json)}");
            }

            await Task.Delay(50);
        }
    }

    public async Task<JobPageDto> ListAsync(string query)
    {
        using var response = await Http.GetAsync(new Uri($"/jobs?{query}", UriKind.Relative));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JobPageDto>(Json))!;
    }

    public Task<HttpResponseMessage> PostAsync(Guid jobId, string command) =>
        Http.PostAsync(new Uri($"/jobs/{jobId}/{command}", UriKind.Relative), content: null);
}
