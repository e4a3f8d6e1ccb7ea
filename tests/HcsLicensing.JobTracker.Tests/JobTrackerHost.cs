namespace HcsLicensing.JobTracker.Tests;

internal static class JobTrackerHost
{
    public static Task StopAsync() => Task.CompletedTask;
}
