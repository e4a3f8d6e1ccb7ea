using System.Globalization;
using System.Text;

namespace HcsLicensing.Console.Licenses;

/// <summary>RFC 4180 CSV: a header line, then one line per row; fields with a comma, quote or line break are quoted.</summary>
public static class Csv
{
    public static string Write(IReadOnlyList<string> header, IEnumerable<IEnumerable<object?>> rows)
    {
        var text = new StringBuilder();
        Line(text, header);
        foreach (var row in rows)
        {
            Line(text, row.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture) ?? ""));
        }

        return text.ToString();
    }

    private static void Line(StringBuilder text, IEnumerable<string> fields)
    {
        text.AppendJoin(',', fields.Select(Field)).Append("\r\n");
    }

    private static string Field(string value)
    {
        // A leading =, +, - or @ would be a formula to a spreadsheet: prefixed so that it stays text.
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' && !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
