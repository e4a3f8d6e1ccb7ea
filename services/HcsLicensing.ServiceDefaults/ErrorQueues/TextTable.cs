namespace HcsLicensing.ServiceDefaults.ErrorQueues;

/// <summary>Columns padded to their widest cell, for a terminal; the last column is never padded, and cut at <see cref="MaxCell"/>.</summary>
internal static class TextTable
{
    private const int MaxCell = 160;

    public static async Task WriteAsync(TextWriter output, IReadOnlyList<string> headers, IReadOnlyList<string[]> rows)
    {
        var cells = rows.Select(row => row.Select(cell => cell.ReplaceLineEndings(" ")).Select(cell => cell.Length <= MaxCell ? cell : cell[..(MaxCell - 3)] + "...").ToArray()).ToList();
        var widths = headers.Select((header, column) => cells.Select(row => row[column].Length).Append(header.Length).Max()).ToArray();
        foreach (var row in cells.Prepend([.. headers]))
        {
            var line = string.Join("  ", row.Select((cell, column) => column == row.Length - 1 ? cell : cell.PadRight(widths[column])));
            await output.WriteLineAsync(line.TrimEnd());
        }

        if (cells.Count == 0)
        {
            await output.WriteLineAsync("(none)");
        }
    }
}
