namespace HcsLicensing.Console.Clusters;

/// <summary>One row of a bulk-assign file: assign this cluster to this VA of this smart account.</summary>
public sealed record BulkAssignRow(int Line, string Cluster, string VirtualAccount, string SmartAccountDomain);

/// <summary>
/// A bulk-assign CSV file read and checked as a whole: columns <c>cluster,virtualAccount[,smartAccount]</c>, an
/// optional header line naming them, blank lines skipped; the smart account defaults to the one chosen on the page.
/// Every bad row is reported by its line number, and a file with any bad row starts nothing (<see cref="IsValid"/>).
/// </summary>
public sealed class BulkAssignFile
{
    /// <summary>The most rows a file may hold: ClusterAssign's batch limit (BatchLimit), one batch per VA at most.</summary>
    public const int MaxRows = 1000;

    /// <summary>The largest file read (a thousand rows of long names fit easily).</summary>
    public const long MaxBytes = 512 * 1024;

    // The services' own limits (ServiceDefaults' InputLimits), checked here so that a row is refused with its line.
    private const int ClusterNameMax = 64, VirtualAccountMax = 256, DomainMax = 253;

    private BulkAssignFile(IReadOnlyList<BulkAssignRow> rows, IReadOnlyList<string> errors)
    {
        Rows = rows;
        Errors = errors;
    }

    public IReadOnlyList<BulkAssignRow> Rows { get; }

    /// <summary>"line 3: ..." for each bad row, in file order.</summary>
    public IReadOnlyList<string> Errors { get; }

    public bool IsValid => Errors.Count == 0 && Rows.Count > 0;

    /// <summary>The batches to send: one per smart account and VA, in the order they first appear.</summary>
    public IEnumerable<IGrouping<(string Domain, string VirtualAccount), BulkAssignRow>> Batches =>
        Rows.GroupBy(r => (r.SmartAccountDomain, r.VirtualAccount));

    /// <param name="text">The file's text.</param>
    /// <param name="defaultDomain">The smart account of rows without a third column.</param>
    /// <param name="knownClusters">CHPA's inventory: a cluster it does not have is refused before anything starts.</param>
    /// <param name="knownDomains">The connected smart accounts.</param>
    public static BulkAssignFile Read(string text, string defaultDomain, IReadOnlySet<string> knownClusters, IReadOnlySet<string> knownDomains)
    {
        var rows = new List<BulkAssignRow>();
        var errors = new List<string>();
        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var index = 0; index < lines.Length; index++)
        {
            var number = index + 1;
            var line = lines[index].Trim();
            if (line.Length == 0 || (rows.Count == 0 && errors.Count == 0 && IsHeader(line)))
            {
                continue;
            }

            if (rows.Count + errors.Count >= MaxRows)
            {
                errors.Add($"line {number}: more than {MaxRows} rows; split the file");
                break;
            }

            var (row, problem) = Row(line, defaultDomain, knownClusters, knownDomains, seen);
            if (row is not null)
            {
                seen[row.Cluster] = number;
                rows.Add(row with { Line = number });
            }
            else
            {
                errors.Add($"line {number}: {problem}");
            }
        }

        if (rows.Count == 0 && errors.Count == 0)
        {
            errors.Add("the file has no rows: one line per cluster, cluster,virtualAccount[,smartAccount]");
        }

        return new BulkAssignFile(rows, errors);
    }

    /// <summary>The row a line asks for, or why it cannot be done (Line is set by the caller).</summary>
    private static (BulkAssignRow? Row, string? Problem) Row(
        string line, string defaultDomain, IReadOnlySet<string> knownClusters, IReadOnlySet<string> knownDomains, Dictionary<string, int> seen)
    {
        var fields = Fields(line);
        if (fields is null)
        {
            return (null, "a quoted field is not closed");
        }

        if (fields.Count is < 2 or > 3)
        {
            return (null, $"{fields.Count} columns; expected cluster,virtualAccount[,smartAccount]");
        }

        var cluster = fields[0];
        var va = fields[1];
        var domain = fields.Count == 3 && fields[2].Length > 0 ? fields[2].ToLowerInvariant() : defaultDomain;
        var problem = cluster.Length == 0 ? "the cluster is empty"
            : cluster.Length > ClusterNameMax ? $"the cluster name is longer than {ClusterNameMax} characters"
            : !knownClusters.Contains(cluster) ? $"CHPA's inventory has no cluster {cluster}"
            : seen.TryGetValue(cluster, out var first) ? $"{cluster} is already on line {first}"
            : va.Length == 0 ? "the virtual account is empty"
            : va.Length > VirtualAccountMax ? $"the virtual account is longer than {VirtualAccountMax} characters"
            : domain.Length == 0 ? "no smart account: name one in the third column or choose one on the page"
            : domain.Length > DomainMax || !knownDomains.Contains(domain) ? $"smart account {domain} is not connected"
            : null;
        return problem is null ? (new BulkAssignRow(0, cluster, va, domain), null) : (null, problem);
    }

    private static bool IsHeader(string line) =>
        Fields(line) is [var first, var second, ..] && first.Equals("cluster", StringComparison.OrdinalIgnoreCase) && second.Equals("virtualAccount", StringComparison.OrdinalIgnoreCase);

    /// <summary>RFC 4180 fields of one line (quotes around a field, "" inside one), trimmed; null when a quote is left open.</summary>
    private static List<string>? Fields(string line)
    {
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString().Trim());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        if (quoted)
        {
            return null;
        }

        fields.Add(field.ToString().Trim());
        return fields;
    }
}
