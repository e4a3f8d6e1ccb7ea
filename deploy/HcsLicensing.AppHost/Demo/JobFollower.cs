using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace HcsLicensing.AppHost.Demo;

/// <summary>
/// Follows a job through JobTracker's GET /jobs/{id} as an operator watching HCM-F's Jobs page would: every step's
/// status printed when it changes (Verification - Inprogress, ... - Pass), until the job ends.
/// </summary>
public sealed class JobFollower(HttpClient http, Uri jobTracker)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>The job as it ended, or null when it did not end within <paramref name="timeout"/>.</summary>
    public async Task<JobView?> FollowAsync(Guid jobId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        var seen = new Dictionary<string, string>();
        var announced = false;
        while (DateTime.UtcNow < deadline)
        {
            using var response = await http.GetAsync(new Uri(jobTracker, $"jobs/{jobId}"), cancellationToken);
            // 404 until JobTracker has taken the job's first event off the bus.
            if (response.StatusCode != HttpStatusCode.NotFound)
            {
                response.EnsureSuccessStatusCode();
                var job = await response.Content.ReadFromJsonAsync<JobView>(JsonSerializerOptions.Web, cancellationToken)
                    ?? throw new InvalidOperationException("JobTracker answered an empty job");
                // Until the job's JobCreated is in, JobTracker holds a placeholder; step changes may come first.
                if (!announced && !job.Description.Contains("before its JobCreated", StringComparison.Ordinal))
                {
                    DemoConsole.Say($"  job {job.JobId}: {job.Description}");
                    announced = true;
                }

                foreach (var step in job.ProgressInfo)
                {
                    if (step.Status != "Not Started" && (!seen.TryGetValue(step.Step, out var before) || before != step.Status))
                    {
                        seen[step.Step] = step.Status;
                        DemoConsole.Say($"    {step.Step,-24} {step.Status,-15}{(string.IsNullOrEmpty(step.Detail) ? "" : step.Detail)}");
                    }
                }

                if (job.Status is "Succeeded" or "Failed" or "Canceled")
                {
                    DemoConsole.Say($"  job {job.Status}: {job.Description}");
                    if (job.Status != "Succeeded")
                    {
                        DemoConsole.Say($"    failed step: {job.FailedStep ?? "-"}; {job.ErrorDescription}");
                        DemoConsole.Say($"    recommended action: {job.RecommendedAction ?? "-"}");
                    }

                    return job;
                }
            }

            await Task.Delay(PollInterval, cancellationToken);
        }

        DemoConsole.Say($"  job {jobId} had not ended after {timeout.TotalSeconds:0} s; JobTracker shows how it goes on");
        return null;
    }
}

/// <summary>The part of JobTracker's job the demo prints.</summary>
public sealed record JobView(
    Guid JobId, string Description, string Status, IReadOnlyList<JobStepView> ProgressInfo,
    string? ErrorDescription, string? FailedStep, string? RecommendedAction, DateTimeOffset InitiatedAt, DateTimeOffset? CompletedAt);

/// <summary>One line of progressInfo.</summary>
public sealed record JobStepView(string Step, string Status, string? Detail);
