using HcsLicensing.Contracts.Jobs;

namespace HcsLicensing.JobTracker.Jobs;

/// <summary>The words HCM-F's Jobs page uses for job and step statuses.</summary>
public static class JobDisplayNames
{
    private static readonly Dictionary<string, JobStatus> StatusByName = Enum.GetValues<JobStatus>()
        .SelectMany(status => new[] { (Of(status), status), (status.ToString(), status) })
        .DistinctBy(pair => pair.Item1, StringComparer.OrdinalIgnoreCase)
        .ToDictionary(pair => pair.Item1, pair => pair.status, StringComparer.OrdinalIgnoreCase);

    public static string Of(JobStatus status) => status switch
    {
        JobStatus.InProgress => "In Progress",
        JobStatus.Succeeded => "Succeeded",
        JobStatus.Failed => "Failed",
        JobStatus.Canceled => "Canceled",
        _ => status.ToString(),
    };

    public static string Of(JobStepStatus status) => status switch
    {
        JobStepStatus.NotStarted => "Not Started",
        JobStepStatus.Inprogress => "Inprogress",
        JobStepStatus.Pass => "Pass",
        JobStepStatus.Fail => "Fail",
        JobStepStatus.NotApplicable => "Not Applicable",
        _ => status.ToString(),
    };

    /// <summary>Reads a status filter: a display name ("In Progress") or an enum name ("InProgress"), any case; never a number.</summary>
    public static bool TryParseStatus(string? text, out JobStatus status) =>
        StatusByName.TryGetValue(text?.Trim() ?? "", out status);

    /// <summary>The accepted spellings, for error messages.</summary>
    public static IEnumerable<string> StatusNames => Enum.GetValues<JobStatus>().Select(Of);
}
