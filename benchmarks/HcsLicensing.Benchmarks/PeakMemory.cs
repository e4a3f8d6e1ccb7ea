using System.Globalization;

namespace HcsLicensing.Benchmarks;

/// <summary>
/// The resident set of each suite process from /proc/&lt;pid&gt;/status (Linux): VmHWM, the peak over the process's life,
/// and VmRSS, now, split into what it is made of: RssAnon (the GC heap and native allocations), RssFile (mapped
/// assemblies and native libraries, shared with every other process that maps them) and RssShmem (on .NET, the
/// JIT-compiled code's double mapping for W^X: memfd pages counted once per mapping). Issue 12 bounds each service
/// at 200 MB with 5,000 assignments in flight.
/// </summary>
internal readonly record struct PeakMemory(double PeakMegabytes, double CurrentMegabytes, double AnonymousMegabytes, double FileMegabytes, double SharedMegabytes)
{
    /// <summary>Each named process (name → pid) still running; empty where /proc is not there.</summary>
    public static IReadOnlyDictionary<string, PeakMemory> Of(IReadOnlyDictionary<string, int> processes)
    {
        var found = new Dictionary<string, PeakMemory>();
        foreach (var (name, pid) in processes)
        {
            try
            {
                var fields = File.ReadLines($"/proc/{pid}/status").Select(line => line.Split(':', 2)).Where(f => f.Length == 2).ToDictionary(f => f[0], f => f[1]);
                found[name] = new PeakMemory(
                    Megabytes(fields["VmHWM"]), Megabytes(fields["VmRSS"]),
                    Megabytes(fields["RssAnon"]), Megabytes(fields["RssFile"]), Megabytes(fields["RssShmem"]));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or KeyNotFoundException or FormatException)
            {
                // Gone, not Linux, or no such field: left out.
            }
        }

        return found;
    }

    // "  123456 kB"
    private static double Megabytes(string value) => double.Parse(value.Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024;
}
