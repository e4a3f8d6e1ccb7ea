using System.Collections.Concurrent;

namespace HcsLicensing.TestBed.Suite;

/// <summary>
/// Finds each suite process's built assembly: services/&lt;Project&gt;/bin/&lt;Configuration&gt;/&lt;TargetFramework&gt; under
/// the repository, each in its own output folder so that it reads its own appsettings.json and deps.json (a test's
/// bin folder holds only one appsettings.json). The project that uses the suite references the seven projects, which
/// is what gets them built before the tests run.
/// </summary>
internal static class SuiteBuilds
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<string>>> Snapshots = new();
    private static readonly string SnapshotRoot = Path.Combine(Path.GetTempPath(), $"hcs-suite-builds-{Environment.ProcessId}");

    static SuiteBuilds()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Delete(SnapshotRoot);
        DeleteOrphanedSnapshots();
    }

    public static string ProjectName(SuiteService service) => $"HcsLicensing.{service}";

    /// <summary>The assembly to run, from the snapshot when <see cref="SuiteOptions.SnapshotBuilds"/> is set.</summary>
    public static async Task<string> AssemblyPathAsync(SuiteService service, SuiteOptions options)
    {
        var built = options.AssemblyPath?.Invoke(service) ?? BuiltAssembly(service, options.BuildConfiguration);
        if (!File.Exists(built))
        {
            throw new FileNotFoundException(
                $"{built} is not built. Reference {ProjectName(service)}'s project from the project that starts the suite " +
                "(ReferenceOutputAssembly=\"false\" is enough), so that building it builds the services.", built);
        }

        if (!options.SnapshotBuilds)
        {
            return built;
        }

        // One copy per build folder and test process, shared by every suite it starts (a copy of the seven is about 150 MB).
        var folder = Path.GetDirectoryName(built)!;
        var copy = await Snapshots.GetOrAdd(folder, f => new Lazy<Task<string>>(() => Task.Run(() => Snapshot(f)))).Value;
        return Path.Combine(copy, Path.GetFileName(built));
    }

    private static string BuiltAssembly(SuiteService service, string? configuration)
    {
        // This code runs from <test project>/bin/<Configuration>/<TargetFramework>/: mirror both.
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = here.Name;
        configuration ??= here.Parent?.Name ?? "Debug";
        var area = service is SuiteService.CssmSimulator or SuiteService.UcSimulator ? "simulators" : "services";
        var project = ProjectName(service);
        return Path.Combine(RepositoryRoot(), area, project, "bin", configuration, framework, $"{project}.dll");
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "HcsLicensing.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("the suite runs from inside the repository (no HcsLicensing.sln above " + AppContext.BaseDirectory + ")");
    }

    private static string Snapshot(string folder)
    {
        // <project>/bin/<Configuration>/<TargetFramework> -> <project>-<8 hex digits>
        var project = Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(folder))));
        var target = Path.Combine(SnapshotRoot, $"{project}-{Guid.NewGuid().ToString("N")[..8]}");
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(folder, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }

        return target;
    }

    /// <summary>Deletes this process's snapshots; a later suite copies the builds again.</summary>
    public static void DeleteSnapshots()
    {
        Snapshots.Clear();
        Delete(SnapshotRoot);
    }

    /// <summary>Snapshots of test processes that died before they deleted theirs (vstest kills a test host that is slow to exit).</summary>
    private static void DeleteOrphanedSnapshots()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // /proc tells whether the owner still runs
        }

        foreach (var folder in Directory.EnumerateDirectories(Path.GetTempPath(), "hcs-suite-builds-*"))
        {
            if (int.TryParse(Path.GetFileName(folder)["hcs-suite-builds-".Length..], out var pid) && !Directory.Exists($"/proc/{pid}"))
            {
                Delete(folder);
            }
        }
    }

    private static void Delete(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A temp folder left behind is not worth failing a test run for.
        }
    }
}
