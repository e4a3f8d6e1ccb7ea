using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using HcsLicensing.TestBed.Suite;

namespace HcsLicensing.Benchmarks;

/// <summary>
/// The drill's faults, one after another while the assignments run: a SIGKILL of each service in turn (started again
/// after a few seconds, same database and queues), the RabbitMQ node stopped and started again (same node and data:
/// durable queues and persistent messages survive), PostgreSQL stopped (fast shutdown) and started again on the same
/// data, and every UC publisher answering 503 for a while (the simulator's Unavailable knob). Each is logged with when
/// it began and how long the return took.
/// </summary>
internal sealed class DrillFaults(HcsSuite suite, DrillSettings settings, Stopwatch clock)
{
    private static readonly SuiteService[] Services = [SuiteService.ClusterAssign, SuiteService.Chpa, SuiteService.JobTracker, SuiteService.SmartAccountSync];

    public List<string> Timeline { get; } = [];

    /// <summary>
    /// The faults in the order they are injected, each with the time it keeps the suite disturbed (a service's restart
    /// estimated at 20 s, what a Release service takes to be ready again on a busy 2-core machine), over which the
    /// drill spreads the assignments it submits for that fault.
    /// </summary>
    public IReadOnlyList<DrillFault> Plan()
    {
        var plan = new List<DrillFault>();
        for (var round = 0; round < settings.KillsPerService; round++)
        {
            plan.AddRange(Services.Select(service => new DrillFault(
                $"SIGKILL {service}", settings.DownAfterKill + TimeSpan.FromSeconds(20), () => KillAndRestartAsync(service))));
        }

        plan.Add(new DrillFault("RabbitMQ stop", settings.BrokerOutage, () => OutageAsync(
            "RabbitMQ node stopped", settings.BrokerOutage, suite.Servers.StopRabbitMqAsync, () => suite.Servers.StartRabbitMqAsync())));
        plan.Add(new DrillFault("PostgreSQL stop", settings.DatabaseOutage, () => OutageAsync(
            "PostgreSQL stopped", settings.DatabaseOutage, suite.Servers.StopPostgresAsync, () => suite.Servers.StartPostgresAsync())));
        plan.Add(new DrillFault("UC publishers 503", settings.PublisherOutage, () => OutageAsync(
            "UC publishers answer 503", settings.PublisherOutage, () => SetPublishersUnavailableAsync(true), () => SetPublishersUnavailableAsync(false))));
        return plan;
    }

    private async Task KillAndRestartAsync(SuiteService service)
    {
        var at = clock.Elapsed;
        await suite.KillAsync(service);
        await Task.Delay(settings.DownAfterKill);
        var restart = Stopwatch.StartNew();
        await suite.StartAsync(service);
        Log($"t+{at.TotalSeconds,6:F1} s  SIGKILL {service}; started again after {settings.DownAfterKill.TotalSeconds:F0} s, ready {restart.Elapsed.TotalSeconds:F1} s later");
    }

    private async Task OutageAsync(string what, TimeSpan length, Func<Task> stop, Func<Task> start)
    {
        var at = clock.Elapsed;
        await stop();
        await Task.Delay(length);
        var back = Stopwatch.StartNew();
        await start();
        Log($"t+{at.TotalSeconds,6:F1} s  {what} for {length.TotalSeconds:F0} s; back {back.Elapsed.TotalSeconds:F1} s after the restart began");
    }

    /// <summary>Turns the UC simulator's Unavailable knob, leaving its other simulator-wide knobs as they are.</summary>
    private async Task SetPublishersUnavailableAsync(bool unavailable)
    {
        using var uc = suite.CreateClient(SuiteService.UcSimulator, TimeSpan.FromSeconds(30));
        var knobs = await uc.GetFromJsonAsync<JsonObject>(new Uri("admin/knobs", UriKind.Relative)) ?? [];
        knobs["unavailable"] = unavailable;
        using var response = await uc.PutAsJsonAsync(new Uri("admin/knobs", UriKind.Relative), knobs);
        response.EnsureSuccessStatusCode();
    }

    private void Log(string line)
    {
        lock (Timeline)
        {
            Timeline.Add(line);
        }

        Console.WriteLine("  fault: " + line.TrimStart());
    }
}

/// <summary>One fault of the drill: what it is, how long it disturbs the suite, and how to inject it (returns once the suite has it back).</summary>
internal sealed record DrillFault(string Name, TimeSpan Window, Func<Task> InjectAsync);
