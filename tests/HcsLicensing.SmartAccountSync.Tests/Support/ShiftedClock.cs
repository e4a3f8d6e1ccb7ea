namespace HcsLicensing.SmartAccountSync.Tests.Support;

/// <summary>
/// The real clock plus an offset a test moves forward: what the service reads as "now" jumps ahead (a token's age),
/// while its timers and delays still run on real time, so the service keeps working as it does in production.
/// </summary>
public sealed class ShiftedClock : TimeProvider
{
    private long _offsetTicks;

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);
}
