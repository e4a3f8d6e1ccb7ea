using HcsLicensing.Contracts.Jobs;
using HcsLicensing.ServiceDefaults.Http;

namespace HcsLicensing.JobTracker.Jobs;

/// <summary>GET /jobs's query, read from the raw strings so every bad value gets an error keyed by its field.</summary>
public sealed record JobListQuery(JobStatus? Status, string? EntityName, int Page, int PageSize)
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    public static bool TryRead(string? status, string? entityName, string? page, string? pageSize, out JobListQuery query, out Dictionary<string, string[]> errors)
    {
        errors = [];
        JobStatus? wanted = null;
        if (!string.IsNullOrWhiteSpace(status))
        {
            if (JobDisplayNames.TryParseStatus(status, out var parsed))
            {
                wanted = parsed;
            }
            else
            {
                errors["status"] = [$"'{status}' is not a job status; use one of: {string.Join(", ", JobDisplayNames.StatusNames)}"];
            }
        }

        var paging = Paging.Read(page, pageSize, errors, DefaultPageSize, MaxPageSize);
        query = new JobListQuery(wanted, string.IsNullOrWhiteSpace(entityName) ? null : entityName.Trim(), paging.Page, paging.PageSize);
        return errors.Count == 0;
    }
}
