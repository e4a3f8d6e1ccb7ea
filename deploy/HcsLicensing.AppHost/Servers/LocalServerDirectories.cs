using System.Globalization;

namespace HcsLicensing.AppHost.Servers;

/// <summary>
/// The servers' temporary data directories, named hcs-run-{AppHost pid}-{server}-* under the temp directory (never in
/// the repository). The scripts remove theirs when they stop; whatever is left is removed when the AppHost exits, and
/// directories of an AppHost that no longer runs (killed with SIGKILL, say) are removed at the next start.
/// </summary>
public sealed class LocalServerDirectories
{
    private const string Prefix = "hcs-run-";

    private LocalServerDirectories(IReadOnlyList<string> rabbitMqNodes, string postgres)
    {
        RabbitMqNodes = rabbitMqNodes;
        Postgres = postgres;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => DeleteAll();
    }

    /// <summary>One directory per RabbitMQ node, the first node's first.</summary>
    public IReadOnlyList<string> RabbitMqNodes { get; }

    public string Postgres { get; }

    public IReadOnlyList<string> All => [.. RabbitMqNodes, Postgres];

    public static LocalServerDirectories Create(int rabbitMqNodes)
    {
        var owner = $"{Prefix}{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}-";
        return new LocalServerDirectories(
            [.. Enumerable.Range(1, rabbitMqNodes).Select(node => Directory.CreateTempSubdirectory($"{owner}rabbitmq-").FullName)],
            Directory.CreateTempSubdirectory($"{owner}postgres-").FullName);
    }

    /// <summary>The pid of the script that runs the server in <paramref name="directory"/>, if it still runs.</summary>
    public static int? RunningScript(string directory)
    {
        var pidFile = Path.Combine(directory, "wrapper.pid");
        if (!File.Exists(pidFile) || !int.TryParse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture, out var pid))
        {
            return null;
        }

        // The pid must still be that script (pids are reused): its command line names the directory.
        return Processes.CommandLine(pid) is { } commandLine && commandLine.Contains(directory, StringComparison.Ordinal) && Processes.IsRunning(pid)
            ? pid
            : null;
    }

    /// <summary>Directories left by AppHosts that are gone: their servers (if any still run) are asked to stop, the rest deleted.</summary>
    public static void RemoveStale()
    {
        foreach (var directory in Directory.EnumerateDirectories(Path.GetTempPath(), $"{Prefix}*"))
        {
            var parts = Path.GetFileName(directory)[Prefix.Length..].Split('-', 2);
            if (!int.TryParse(parts[0], CultureInfo.InvariantCulture, out var owner)
                || (Processes.CommandLine(owner) is { } commandLine && commandLine.Contains("HcsLicensing.AppHost", StringComparison.Ordinal)))
            {
                continue; // not ours, or its AppHost still runs
            }

            if (RunningScript(directory) is { } script)
            {
                Processes.Signal(script, "TERM"); // its script stops the server and removes the directory
            }
            else
            {
                Delete(directory);
            }
        }
    }

    private void DeleteAll()
    {
        foreach (var directory in All)
        {
            Delete(directory);
        }
    }

    private static void Delete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
            // Still in use; the next start removes it.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }
    }
}
