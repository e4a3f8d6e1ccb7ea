using System.Diagnostics;

namespace HcsLicensing.Benchmarks;

/// <summary>Builds a service in Release, so that figures are measured on what production runs.</summary>
internal static class ReleaseBuild
{
    /// <summary>Builds services/<paramref name="project"/> and returns the path of its assembly.</summary>
    public static async Task<string> OfServiceAsync(string project)
    {
        var root = RepositoryRoot();
        using var build = Process.Start(new ProcessStartInfo("dotnet", $"build -c Release -v q --nologo services/{project}") { WorkingDirectory = root })
            ?? throw new InvalidOperationException("could not run dotnet build");
        await build.WaitForExitAsync();
        if (build.ExitCode != 0)
        {
            throw new InvalidOperationException($"building {project} failed with {build.ExitCode}");
        }

        return Path.Combine(root, "services", project, "bin", "Release", "net10.0", $"{project}.dll");
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "HcsLicensing.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("run the benchmark from inside the repository");
    }
}
