using System.Diagnostics;
using HcsLicensing.AppHost.Servers;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HcsLicensing.AppHost;

/// <summary>
/// Ctrl-C stops the suite in dependency order, before the orchestrator tears down what is left:
/// 1. the services and simulators, while RabbitMQ and PostgreSQL still answer, so each stops its bus and closes its
///    connections within a second or two (with the broker already gone, MassTransit's stop waits on it, and the
///    processes outlive the AppHost by up to half a minute);
/// 2. the servers (<see cref="IServers.StopAsync"/>: the local ones through their scripts, which also remove their data).
/// Runs in StoppingAsync, which the host calls before any hosted service's StopAsync.
/// </summary>
internal sealed class OrderedShutdown(
    DistributedApplicationModel model, ResourceCommandService commands, ResourceNotificationService notifications,
    IServers servers, ILogger<OrderedShutdown> logger) : IHostedLifecycleService
{
    private static readonly TimeSpan ServiceGrace = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan ServerGrace = TimeSpan.FromSeconds(30);

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        await StopProjectsAsync();
        var projects = watch.Elapsed;
        var left = await servers.StopAsync(ServerGrace);
        if (left.Count > 0)
        {
            logger.LogWarning("Still stopping after {Seconds} s (the orchestrator ends them now): {Servers}", ServerGrace.TotalSeconds, string.Join(", ", left));
        }

        logger.LogInformation("Stopped: services and simulators in {Services:0.0} s, then the servers in {Servers:0.0} s; local data removed",
            projects.TotalSeconds, (watch.Elapsed - projects).TotalSeconds);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task StopProjectsAsync()
    {
        using var timeout = new CancellationTokenSource(ServiceGrace);
        var running = model.Resources.OfType<ProjectResource>()
            .Where(p => notifications.TryGetCurrentState(p.Name, out var current) && current.Snapshot.State?.Text is { } state
                && (state == KnownResourceStates.Running || state == KnownResourceStates.Starting || state == KnownResourceStates.RuntimeUnhealthy))
            .Select(p => p.Name)
            .ToList();
        await Task.WhenAll(running.Select(async name =>
        {
            try
            {
                await commands.ExecuteCommandAsync(name, KnownResourceCommands.StopCommand, timeout.Token);
                await notifications.WaitForResourceAsync(name, KnownResourceStates.TerminalStates, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                logger.LogWarning("{Resource} did not stop within {Seconds} s; the orchestrator ends it", name, ServiceGrace.TotalSeconds);
            }
        }));
    }
}
