using HcsLicensing.ServiceDefaults.Messaging;

namespace HcsLicensing.ServiceDefaults.Tests.Messaging;

/// <summary>How long a message waits out a dependency that is away, from the headers its earlier tries carried.</summary>
public class TryAgainLaterTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(90);

    [Test]
    public void Tries_come_2_4_8_16_then_30_s_apart_until_the_budget_is_spent()
    {
        var pauses = new List<double>();
        var since = Now;
        var at = Now;
        int? tries = null;
        while (TryAgainLater.Next(tries is null ? null : since.ToString("O"), tries, at, Budget) is { } next)
        {
            pauses.Add(next.Pause.TotalSeconds);
            since = next.Since;
            tries = next.Tries;
            at += next.Pause;
        }

        Assert.Multiple(() =>
        {
            Assert.That(pauses, Is.EqualTo(new[] { 2.0, 4, 8, 16, 30, 30 }));
            Assert.That(since, Is.EqualTo(Now), "the wait counts from the first try");
        });
    }

    [Test]
    public void A_start_in_the_future_counts_from_now_so_the_budget_still_ends_the_wait()
    {
        var forged = Now.AddDays(1).ToString("O");

        var next = TryAgainLater.Next(forged, 3, Now, Budget);
        // The copy carries the start this try read, not the forged one.
        var late = TryAgainLater.Next(next?.Since.ToString("O"), next?.Tries, Now + Budget, Budget);

        Assert.Multiple(() =>
        {
            Assert.That(next?.Since, Is.EqualTo(Now));
            Assert.That(late, Is.Null, "a message whose header claims a later start is not tried again forever");
        });
    }

    [Test]
    public void A_negative_count_of_tries_is_read_as_none()
    {
        Assert.That(TryAgainLater.Next(null, -5, Now, Budget)?.Pause, Is.EqualTo(TimeSpan.FromSeconds(2)));
    }
}
