using Microsoft.Extensions.Options;

namespace HcsLicensing.ClusterAssign.Operations;

/// <summary>Where an operator follows a job: JobTracker's GET /jobs/{id}, absolute when JobTracker's address is configured.</summary>
public sealed class JobLinks(IOptions<ClusterAssignOptions> options)
{
    public string For(Guid jobId) =>
        options.Value.JobsBaseUrl is { } jobTracker ? new Uri(jobTracker, $"jobs/{jobId}").ToString() : $"/jobs/{jobId}";
}
