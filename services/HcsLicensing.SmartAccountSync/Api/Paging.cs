using System.Globalization;

namespace HcsLicensing.SmartAccountSync.Api;

/// <summary>page/pageSize read from raw strings, so a bad value gets an error keyed by its field rather than a bare 400.</summary>
public sealed record Paging(int Page, int PageSize)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;

    public int Skip => (Page - 1) * PageSize;

    public static Paging Read(string? page, string? pageSize, Dictionary<string, string[]> errors) =>
        new(ReadInt(page, "page", 1, 1, int.MaxValue / MaxPageSize, errors), ReadInt(pageSize, "pageSize", DefaultPageSize, 1, MaxPageSize, errors));

    private static int ReadInt(string? text, string field, int fallback, int min, int max, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            errors[field] = [$"'{text}' is out of range: {field} must be a whole number from {min} to {max}"];
            return fallback;
        }

        return value;
    }
}

/// <summary>One page of a list, with the total matching count.</summary>
public sealed record PageDto<T>(IReadOnlyList<T> Items, int Page, int PageSize, int TotalCount);
