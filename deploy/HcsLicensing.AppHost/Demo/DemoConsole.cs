using System.Diagnostics;
using System.Globalization;

namespace HcsLicensing.AppHost.Demo;

/// <summary>
/// The demo's lines in the terminal: written straight to stdout (not through the AppHost's logger, whose
/// "info: Category[0]" frame would bury them), each stamped with the seconds since the AppHost started.
/// </summary>
public static class DemoConsole
{
    private static readonly DateTime Started = Process.GetCurrentProcess().StartTime.ToUniversalTime();

    public static TimeSpan SinceStart => DateTime.UtcNow - Started;

    public static void Say(string line) =>
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"demo [{SinceStart.TotalSeconds,5:0.0}s] {line}"));

    public static void Blank() => Console.Out.WriteLine();
}
