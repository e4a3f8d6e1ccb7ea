using System.Globalization;

namespace HcsLicensing.Benchmarks;

/// <summary>
/// CPU time per part of the run, from /proc (Linux): each suite process (its whole session: setsid made it a
/// session leader), the local RabbitMQ and PostgreSQL servers the benchmark started (their sessions, found among
/// its descendants), the benchmark itself, and the machine as a whole (/proc/stat), so that what others run on the
/// machine meanwhile shows as "rest of the machine". Times include children reaped meanwhile (cutime, cstime): a
/// PostgreSQL backend that exits is counted in the postmaster.
/// </summary>
internal static class ProcessCpu
{
    public const string Benchmark = "benchmark (this process)";
    public const string RabbitMq = "RabbitMQ (beam.smp)";
    public const string Postgres = "PostgreSQL (all backends)";
    public const string OtherChildren = "other child processes";

    /// <summary>A session named "Chpa#2" (a service's second replica) counts as part "Chpa".</summary>
    public const char ReplicaSeparator = '#';

    private static readonly double TicksPerSecond = ClockTicks();

    public static bool Available => OperatingSystem.IsLinux() && File.Exists("/proc/stat");

    /// <summary>
    /// CPU seconds used so far by each part; <paramref name="sessions"/> names session ids (suite processes' pids), the
    /// replicas of one service under one part (<see cref="ReplicaSeparator"/>).
    /// </summary>
    public static CpuSnapshot Take(IReadOnlyDictionary<string, int> sessions)
    {
        var at = System.Diagnostics.Stopwatch.GetTimestamp();
        var byPart = new Dictionary<string, double>();
        if (!Available)
        {
            return new CpuSnapshot(at, byPart, 0, 0);
        }

        var processes = ReadProcesses();
        var self = Environment.ProcessId;
        var sessionNames = sessions.ToDictionary(pair => pair.Value, pair => pair.Key.Split(ReplicaSeparator)[0]);
        var descendants = Descendants(processes, self);

        // Sessions of the benchmark's other children (rabbitmq-server, postgres: each started in a session of its own).
        var serverSessions = new Dictionary<int, string>();
        foreach (var process in descendants.Select(pid => processes[pid]).Where(p => !sessionNames.ContainsKey(p.Session)))
        {
            if (process.Command == "postgres")
            {
                serverSessions[process.Session] = Postgres;
            }
            else if (process.Command.StartsWith("beam", StringComparison.Ordinal))
            {
                serverSessions.TryAdd(process.Session, RabbitMq);
            }
        }

        foreach (var process in processes.Values)
        {
            string? part = null;
            if (process.Pid == self)
            {
                part = Benchmark;
            }
            else if (sessionNames.TryGetValue(process.Session, out var service))
            {
                part = service;
            }
            else if (descendants.Contains(process.Pid))
            {
                part = serverSessions.GetValueOrDefault(process.Session, OtherChildren);
            }

            if (part is not null)
            {
                byPart[part] = byPart.GetValueOrDefault(part) + (process.Ticks / TicksPerSecond);
            }
        }

        var (busy, total) = MachineTicks();
        return new CpuSnapshot(at, byPart, busy / TicksPerSecond, total / TicksPerSecond);
    }

    /// <summary>The processes this one started, directly or not (pid, command), e.g. to find the local RabbitMQ node.</summary>
    public static IEnumerable<(int Pid, string Command)> Descendants()
    {
        if (!Available)
        {
            return [];
        }

        var processes = ReadProcesses();
        return Descendants(processes, Environment.ProcessId).Select(pid => (pid, processes[pid].Command)).ToList();
    }

    private static HashSet<int> Descendants(Dictionary<int, ProcStat> processes, int root)
    {
        var children = processes.Values.ToLookup(p => p.ParentPid, p => p.Pid);
        var found = new HashSet<int>();
        var pending = new Stack<int>([root]);
        while (pending.Count > 0)
        {
            foreach (var child in children[pending.Pop()])
            {
                if (found.Add(child))
                {
                    pending.Push(child);
                }
            }
        }

        return found;
    }

    private static Dictionary<int, ProcStat> ReadProcesses()
    {
        var processes = new Dictionary<int, ProcStat>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var text = File.ReadAllText(Path.Combine(directory, "stat"));
                // "pid (comm) state ppid pgrp session ... utime stime cutime cstime ...": comm may hold spaces and parentheses.
                var open = text.IndexOf('(', StringComparison.Ordinal);
                var close = text.LastIndexOf(')');
                var command = text[(open + 1)..close];
                var fields = text[(close + 2)..].Split(' ');
                long Field(int number) => long.Parse(fields[number - 3], CultureInfo.InvariantCulture); // man proc numbering
                processes[pid] = new ProcStat(pid, command, (int)Field(4), (int)Field(6), Field(14) + Field(15) + Field(16) + Field(17));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or ArgumentOutOfRangeException or IndexOutOfRangeException)
            {
                // Gone meanwhile, or unreadable.
            }
        }

        return processes;
    }

    private static (double Busy, double Total) MachineTicks()
    {
        // cpu  user nice system idle iowait irq softirq steal guest guest_nice (guest time is counted in user already)
        var line = File.ReadLines("/proc/stat").First();
        var values = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var total = values.Sum();
        var idle = values[3] + values[4];
        return (total - idle, total);
    }

    private static double ClockTicks()
    {
        try
        {
            using var getconf = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("getconf", "CLK_TCK") { RedirectStandardOutput = true, UseShellExecute = false });
            if (getconf is not null && double.TryParse(getconf.StandardOutput.ReadToEnd().Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var ticks) && ticks > 0)
            {
                getconf.WaitForExit();
                return ticks;
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No getconf: Linux's USER_HZ is 100 nearly everywhere.
        }

        return 100;
    }

    private sealed record ProcStat(int Pid, string Command, int ParentPid, int Session, long Ticks);
}

/// <summary>CPU seconds so far per part, and the machine's busy and total CPU seconds (all cores).</summary>
internal sealed record CpuSnapshot(long Timestamp, IReadOnlyDictionary<string, double> Seconds, double MachineBusy, double MachineTotal)
{
    /// <summary>Per part, CPU seconds used between <paramref name="before"/> and this, per wall second (1.0 = one core busy).</summary>
    public CpuUse Since(CpuSnapshot before)
    {
        var wall = System.Diagnostics.Stopwatch.GetElapsedTime(before.Timestamp, Timestamp).TotalSeconds;
        var parts = Seconds.Keys.Union(before.Seconds.Keys)
            .ToDictionary(part => part, part => Math.Max(0, Seconds.GetValueOrDefault(part) - before.Seconds.GetValueOrDefault(part)) / wall);
        var cores = (MachineTotal - before.MachineTotal) / wall;
        return new CpuUse(wall, parts, (MachineBusy - before.MachineBusy) / wall, cores);
    }
}

/// <summary>Cores used on average per part over <see cref="WallSeconds"/>; <see cref="MachineCores"/> is how many the machine has.</summary>
internal sealed record CpuUse(double WallSeconds, IReadOnlyDictionary<string, double> Cores, double MachineBusyCores, double MachineCores)
{
    public double Ours => Cores.Values.Sum();

    /// <summary>What the rest of the machine used meanwhile (other engineers' builds and tests, MSBuild servers, ...).</summary>
    public double Rest => Math.Max(0, MachineBusyCores - Ours);
}
