using System.Globalization;

namespace HcsLicensing.ServiceDefaults.Http;

/// <summary>
/// page and pageSize of every list endpoint, read from the raw query strings so that a bad value is reported under
/// its own name ("page", "pageSize") instead of a bare 400. The largest page is bounded so that
/// (page - 1) * pageSize, the rows skipped, always fits an int.
/// </summary>
public sealed record Paging(int Page, int PageSize)
{
    /// <summary>The rows before this page; never overflows (see <see cref="Read"/>).</summary>
    public int Skip => (Page - 1) * PageSize;

    /// <summary>
    /// Reads both values; a missing one takes its default. Errors are added under "page" / "pageSize" and the
    /// defaults returned in their place, so a caller collects every field's error before answering.
    /// </summary>
    public static Paging Read(string? page, string? pageSize, IDictionary<string, string[]> errors, int defaultPageSize = 50, int maxPageSize = 500)
    {
        var size = ReadInt(pageSize, "pageSize", defaultPageSize, maxPageSize, errors);
        // With pageSize at most maxPageSize, (maxPage - 1) * maxPageSize stays below int.MaxValue.
        var number = ReadInt(page, "page", 1, int.MaxValue / maxPageSize, errors);
        return new Paging(number, size);
    }

    private static int ReadInt(string? text, string field, int fallback, int max, IDictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < 1 || value > max)
        {
            // The value is not echoed: it may be megabytes long.
            errors[field] = [$"{field} must be a whole number from 1 to {max}"];
            return fallback;
        }

        return value;
    }
}

/// <summary>One page of a list, with the total count of what matched.</summary>
public sealed record PageDto<T>(IReadOnlyList<T> Items, int Page, int PageSize, int TotalCount);
