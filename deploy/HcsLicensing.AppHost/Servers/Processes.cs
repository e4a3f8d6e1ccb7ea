using System.Diagnostics;
using System.Globalization;

namespace HcsLicensing.AppHost.Servers;

/// <summary>Just enough of /proc and kill(1) to stop processes the orchestrator started (they are its children, not ours).</summary>
internal static class Processes
{
    public static string? CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Running means present and not a zombie waiting for its parent.</summary>
    public static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            // The state follows the command name in parentheses, which may itself contain spaces or parentheses.
            var state = stat[(stat.LastIndexOf(')') + 2)..].Split(' ', 2)[0];
            return state != "Z" && state != "X";
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    public static void Signal(int pid, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", $"-{signal} {pid.ToString(CultureInfo.InvariantCulture)}")
        {
            RedirectStandardError = true,
            UseShellExecute = false,
        });
        kill?.WaitForExit(5000);
    }
}
