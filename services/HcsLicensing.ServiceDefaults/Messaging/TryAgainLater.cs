using System.Globalization;
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
        if (Next(context.Headers.Get<string>(SinceHeader), context.Headers.Get<int>(TriesHeader), clock.GetUtcNow(), budget) is not { } next
            || context.ReceiveContext.InputAddress is not { } queue)
        {
            return null;
        }

        var (pause, since, tries) = next;
        await context.Send(queue, context.Message, send =>
        {
            send.RequestId = context.RequestId;
            send.ResponseAddress = context.ResponseAddress;
            send.FaultAddress = context.FaultAddress;
            send.Headers.Set(SinceHeader, since.ToString("O"));
            send.Headers.Set(TriesHeader, tries);
            send.Delay = pause;
        });
        return (pause, since);
    }

    /// <summary>The next try from the message's headers: its pause, when the wait began and its number; null when the budget is spent.</summary>
    internal static (TimeSpan Pause, DateTimeOffset Since, int Tries)? Next(string? sinceHeader, int? triesHeader, DateTimeOffset now, TimeSpan budget)
    {
        // The headers come with the message: a start in the future (another sender's clock, or a forged header) must not
        // stretch the budget, so the wait counts from now at the latest.
        var since = DateTimeOffset.TryParse(sinceHeader, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed) && parsed < now ? parsed : now;
        var tries = Math.Max(triesHeader ?? 0, 0);
        var pause = TimeSpan.FromSeconds(Math.Min(Math.Pow(2, tries + 1), LongestPause.TotalSeconds));
        return now + pause - since > budget ? null : (pause, since, tries + 1);
    }
}
