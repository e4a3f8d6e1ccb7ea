using System.Globalization;

namespace HcsLicensing.Benchmarks;

/// <summary>
/// `licenseaudit [N=3000] [--concurrency=50] [--uc-latency=30] [--cssm-latency=200] [--rate=5] [--pool=600] [--stall=120]`.
/// </summary>
internal sealed record LicenseAuditSettings
{
    public const string Usage =
        "licenseaudit [N=3000] [--concurrency=50] [--uc-latency=30] [--cssm-latency=200] [--rate=5] [--pool=600] [--stall=120]\n" +
        "  N                 clusters added to CHPA's inventory and assigned (fast simulators) before the audits\n" +
        "  --concurrency=K   LicenseAudit:VerifyConcurrency (verifications in flight towards CHPA)\n" +
        "  --uc-latency=MS   the UC simulator's latency before every publisher answer during the audits and the timed assignments (SuiteOptions.Realistic: 30)\n" +
        "  --cssm-latency=MS the CSSM simulator's latency on every swapi call during the audits and the timed assignments (SuiteOptions.Realistic: 200)\n" +
        "  --rate=R          assignments/s submitted during the second audit, then at the same rate alone (open loop)\n" +
        "  --pool=P          clusters kept aside for each of the two timed assignment phases (at most P assignments each)\n" +
        "  --stall=S         give up when no assignment ends, or the audit does not end, for S seconds";

    public int Clusters { get; init; } = 3000;

    public int VerifyConcurrency { get; init; } = 50;

    public int UcLatencyMs { get; init; } = 30;

    public int CssmLatencyMs { get; init; } = 200;

    public double Rate { get; init; } = 5;

    public int Pool { get; init; } = 600;

    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Reads the arguments after "licenseaudit"; throws ArgumentException with the usage when one is wrong.</summary>
    public static LicenseAuditSettings Parse(IReadOnlyList<string> arguments)
    {
        var settings = new LicenseAuditSettings();
        var positional = 0;
        foreach (var argument in arguments)
        {
            var parts = argument.Split('=', 2);
            var (name, value) = argument.StartsWith("--", StringComparison.Ordinal) ? (parts[0], parts.Length > 1 ? parts[1] : null) : (null, argument);
            settings = name switch
            {
                null when positional++ == 0 => settings with { Clusters = Whole(value, "N", minimum: 1) },
                "--concurrency" => settings with { VerifyConcurrency = Whole(value, name, minimum: 1) },
                "--uc-latency" => settings with { UcLatencyMs = Whole(value, name, minimum: 0) },
                "--cssm-latency" => settings with { CssmLatencyMs = Whole(value, name, minimum: 0) },
                "--rate" => settings with { Rate = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) && rate > 0 ? rate : throw Bad(name, value, "a number above 0") },
                "--pool" => settings with { Pool = Whole(value, name, minimum: 1) },
                "--stall" => settings with { StallTimeout = TimeSpan.FromSeconds(Whole(value, name, minimum: 1)) },
                _ => throw new ArgumentException($"unknown argument '{argument}'\n{Usage}"),
            };
        }

        return settings;
    }

    private static int Whole(string? value, string name, int minimum) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= minimum
            ? number
            : throw Bad(name, value, $"a whole number of at least {minimum}");

    private static ArgumentException Bad(string name, string? value, string what) => new($"{name} must be {what}, not '{value}'\n{Usage}");
}
