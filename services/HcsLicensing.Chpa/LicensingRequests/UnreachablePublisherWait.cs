using HcsLicensing.Chpa.UcApplications.Http;
using MassTransit;
using Microsoft.Extensions.Options;

namespace HcsLicensing.Chpa.LicensingRequests;

/// <summary>
/// A publisher that is off the network or restarting (503) is waited out, not reported at once: the request is sent
/// again to CHPA's own queue, due 2 s later, then 4, 8, 16 and 30 s apart, for <see cref="UcClientOptions.UnreachableWaitFor"/>
/// in all, before it is answered chpaClusterUnreachable. The later try is a delayed outbox row committed with this
/// message, so a CHPA restart in between loses nothing, and no consumer slot is held while waiting. Every licensing
/// request reads the publisher's state before it writes, so trying one again never does anything twice.
/// </summary>
public sealed class UnreachablePublisherWait(IOptions<UcClientOptions> options, TimeProvider clock, ILogger<UnreachablePublisherWait> logger)
{
    /// <summary>When the request first found its publisher unreachable (ISO 8601), carried by each later try.</summary>
    public const string SinceHeader = "Hcs-Publisher-Unreachable-Since";

    /// <summary>The number of tries so far.</summary>
    public const string TriesHeader = "Hcs-Publisher-Unreachable-Tries";

    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(30);

    /// <summary>True when the request will be tried again later (answer nothing now); false to answer the failure now.</summary>
    public async Task<bool> TryAgainLaterAsync<T>(ConsumeContext<T> context, string operation, string clusterName, string? why)
        where T : class
    {
        var now = clock.GetUtcNow();
        var since = context.Headers.Get<string>(SinceHeader) is { } text && DateTimeOffset.TryParse(text, out var parsed) ? parsed : now;
        var tries = context.Headers.Get<int>(TriesHeader) ?? 0;
        var pause = TimeSpan.FromSeconds(Math.Min(Math.Pow(2, tries + 1), LongestPause.TotalSeconds));
        if (now + pause - since > options.Value.UnreachableWaitFor || context.ReceiveContext.InputAddress is not { } queue)
        {
            return false;
        }

        logger.LogInformation("{Operation} {ClusterName}: the publisher is unreachable ({Why}); trying again in {Pause} (waiting since {Since:u})",
            operation, clusterName, why, pause, since);
        // A new message (the inbox knows the old id as consumed) that answers the original requester.
        await context.Send(queue, context.Message, send =>
        {
            send.RequestId = context.RequestId;
            send.ResponseAddress = context.ResponseAddress;
            send.FaultAddress = context.FaultAddress;
            send.Headers.Set(SinceHeader, since.ToString("O"));
            send.Headers.Set(TriesHeader, tries + 1);
            send.Delay = pause;
        });
        return true;
    }
}
