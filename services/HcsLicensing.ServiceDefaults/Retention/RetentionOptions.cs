namespace HcsLicensing.ServiceDefaults.Retention;

/// <summary>How long rows are kept and how they are pruned ("Retention" configuration section).</summary>
public sealed class RetentionOptions
{
    public const string Section = "Retention";

    /// <summary>Time between two pruning passes of each replica; zero turns pruning off.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Rows deleted by one statement, its own short transaction; a rule repeats it until a batch comes back short.</summary>
    public int BatchSize { get; set; } = 1000;

    /// <summary>Per rule name: how long its rows are kept (zero: forever). A rule not named here keeps its default.</summary>
    public Dictionary<string, TimeSpan> Keep { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The keep time of <paramref name="rule"/>: configured, else its default.</summary>
    public TimeSpan KeepOf(RetentionRule rule) =>
        Keep.FirstOrDefault(entry => string.Equals(entry.Key, rule.Name, StringComparison.OrdinalIgnoreCase)) is { Key: not null } configured
            ? configured.Value
            : rule.DefaultKeep;
}
