using HcsLicensing.Contracts.Jobs;
using HcsLicensing.JobTracker.Jobs;

namespace HcsLicensing.JobTracker.Api;

/// <summary>GET /jobs's query, read from the raw strings so every bad value gets an error keyed by its field.</summary>
public sealed record JobListQuery(JobStatus? Status, string? EntityName, int Page, int PageSize)
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    /// <summary>Far beyond any real job history, and low enough that (page - 1) * pageSize never overflows.</summary>
    public const int MaxPage = 1_000_000;

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

        var pageNumber = ReadInt(page, "page", 1, 1, MaxPage, errors);
        var size = ReadInt(pageSize, "pageSize", DefaultPageSize, 1, MaxPageSize, errors);
        query = new JobListQuery(wanted, string.IsNullOrWhiteSpace(entityName) ? null : entityName.Trim(), pageNumber, size);
        return errors.Count == 0;
    }

    private static int ReadInt(string? text, string field, int fallback, int min, int max, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        if (!int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            errors[field] = [$"'{text}' is out of range: {field} must be a whole number from {min} to {max}"];
            return fallback;
        }

        return value;
    }
}
