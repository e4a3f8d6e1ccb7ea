namespace HcsLicensing.Console.SuiteApis;

/// <summary>A service refused a call: its status and the problem's title, detail and field errors, as the operator should read them.</summary>
public sealed class SuiteApiException(int status, string title, string? detail, IReadOnlyDictionary<string, string[]>? errors = null)
    : Exception(Describe(status, title, detail, errors))
{
    public int Status { get; } = status;

    public string Title { get; } = title;

    public string? Detail { get; } = detail;

    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors ?? new Dictionary<string, string[]>();

    private static string Describe(int status, string title, string? detail, IReadOnlyDictionary<string, string[]>? errors)
    {
        var fields = errors is { Count: > 0 } ? " " + string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")) : "";
        return $"{status} {title}{(string.IsNullOrWhiteSpace(detail) ? "" : ": " + detail)}{fields}";
    }
}
