using MassTransit;

namespace HcsLicensing.ServiceDefaults.Messaging;

/// <summary>
/// Waits out a dependency that is away (a UC publisher restarting, CSSM answering 5xx) without holding a consumer:
/// the message being consumed is sent again to its own queue, due 2 s later, then 4, 8, 16 and 30 s apart, until
/// <c>budget</c> is spent since the first try. Inside the transactional outbox the later try is a delayed row that
/// commits with this message, so a restart in between loses nothing. The copy is a new message (the inbox knows the
/// old id as consumed) that keeps the request's RequestId, ResponseAddress and FaultAddress, so its answer reaches
/// the original requester. Only for consumers whose work is safe to do again (they read before they write).
/// </summary>
public static class TryAgainLater
{
    /// <summary>When the message first met the dependency away (ISO 8601), carried by each later try.</summary>
    public const string SinceHeader = "Hcs-Away-Since";

    /// <summary>The number of tries so far.</summary>
    public const string TriesHeader = "Hcs-Away-Tries";

    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Sends the message again for a later try and returns the pause, or null when <paramref name="budget"/> would be
    /// exceeded (answer the failure now). <paramref name="since"/> is when the first try met the dependency away.
    /// </summary>
    public static async Task<(TimeSpan Pause, DateTimeOffset Since)?> SendAsync<T>(ConsumeContext<T> context, TimeSpan budget, TimeProvider clock)
        where T : class
    {
        var now = clock.GetUtcNow();
        var since = context.Headers.Get<string>(SinceHeader) is { } text && DateTimeOffset.TryParse(text, out var parsed) ? parsed : now;
        var tries = context.Headers.Get<int>(TriesHeader) ?? 0;
        var pause = TimeSpan.FromSeconds(Math.Min(Math.Pow(2, tries + 1), LongestPause.TotalSeconds));
        if (now + pause - since > budget || context.ReceiveContext.InputAddress is not { } queue)
        {
            return null;
        }

        await context.Send(queue, context.Message, send =>
        {
            send.RequestId = context.RequestId;
            send.ResponseAddress = context.ResponseAddress;
            send.FaultAddress = context.FaultAddress;
            send.Headers.Set(SinceHeader, since.ToString("O"));
            send.Headers.Set(TriesHeader, tries + 1);
            send.Delay = pause;
        });
        return (pause, since);
    }
}
