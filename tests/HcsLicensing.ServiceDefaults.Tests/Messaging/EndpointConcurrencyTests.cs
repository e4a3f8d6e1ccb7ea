using HcsLicensing.ServiceDefaults.Tests.Support;
using HcsLicensing.TestBed;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace HcsLicensing.ServiceDefaults.Tests.Messaging;

public sealed record SlowWork(Guid WorkId);

public sealed record OtherSlowWork(Guid WorkId);

/// <summary>How many consumers of each kind ran at once, at most.</summary>
public sealed class Overlap
{
    private readonly Dictionary<string, (int Now, int Most)> _kinds = [];

    public async Task RunAsync(string kind, TimeSpan duration)
    {
        lock (_kinds)
        {
            var (now, most) = _kinds.GetValueOrDefault(kind);
            _kinds[kind] = (now + 1, Math.Max(most, now + 1));
        }

        await Task.Delay(duration);
        lock (_kinds)
        {
            var (now, most) = _kinds[kind];
            _kinds[kind] = (now - 1, most);
        }
    }

    public int MostOf(string kind)
    {
        lock (_kinds)
        {
            return _kinds.GetValueOrDefault(kind).Most;
        }
    }
}

public sealed class SlowWorkConsumer(Overlap overlap, Recorder<SlowWork> done) : IConsumer<SlowWork>
{
    public async Task Consume(ConsumeContext<SlowWork> context)
    {
        await overlap.RunAsync("limited", TimeSpan.FromMilliseconds(200));
        done.Add(context);
    }
}

public sealed class OtherSlowWorkConsumer(Overlap overlap, Recorder<OtherSlowWork> done) : IConsumer<OtherSlowWork>
{
    public async Task Consume(ConsumeContext<OtherSlowWork> context)
    {
        await overlap.RunAsync("default", TimeSpan.FromMilliseconds(200));
        done.Add(context);
    }
}

/// <summary>
/// Messaging:ConcurrentMessageLimits gives one receive endpoint (named without the deployment's prefix) a limit of its
/// own, as CHPA's license audit lane has; every other endpoint keeps Messaging:ConcurrentMessageLimit. On the real broker.
/// </summary>
public class EndpointConcurrencyTests
{
    [Test]
    public async Task An_endpoint_with_a_limit_of_its_own_runs_no_more_at_once_and_the_others_keep_the_default()
    {
        var servers = await SharedTestServers.GetAsync();
        var prefix = ServiceHost.NewPrefix("limits");
        using var host = await ServiceHost.StartAsync(
            servers,
            await ServiceHost.CreateDatabaseAsync(servers),
            prefix,
            bus =>
            {
                bus.AddConsumer<SlowWorkConsumer>().Endpoint(e => e.Name = $"{prefix}-audit-lane");
                bus.AddConsumer<OtherSlowWorkConsumer>().Endpoint(e => e.Name = $"{prefix}-main");
            },
            new Dictionary<string, string?>
            {
                ["Messaging:ConcurrentMessageLimit"] = "8",
                ["Messaging:ConcurrentMessageLimits:AUDIT-LANE"] = "2", // the name regardless of case, without the prefix
            },
            services => services.AddSingleton<Overlap>().AddSingleton<Recorder<SlowWork>>().AddSingleton<Recorder<OtherSlowWork>>());
        var bus = host.Services.GetRequiredService<IBus>();
        var lane = await bus.GetSendEndpoint(new Uri($"queue:{prefix}-audit-lane"));
        var main = await bus.GetSendEndpoint(new Uri($"queue:{prefix}-main"));

        for (var i = 0; i < 12; i++)
        {
            await lane.Send(new SlowWork(Guid.NewGuid()));
            await main.Send(new OtherSlowWork(Guid.NewGuid()));
        }

        await Eventually.Poll(() => Task.FromResult(host.Services.GetRequiredService<Recorder<SlowWork>>().Received.Count), count => count == 12, TimeSpan.FromSeconds(30));
        await Eventually.Poll(() => Task.FromResult(host.Services.GetRequiredService<Recorder<OtherSlowWork>>().Received.Count), count => count == 12, TimeSpan.FromSeconds(30));
        var overlap = host.Services.GetRequiredService<Overlap>();

        Assert.Multiple(() =>
        {
            Assert.That(overlap.MostOf("limited"), Is.EqualTo(2), "the lane's own limit");
            Assert.That(overlap.MostOf("default"), Is.GreaterThan(2).And.AtMost(8), "Messaging:ConcurrentMessageLimit");
        });
    }
}
