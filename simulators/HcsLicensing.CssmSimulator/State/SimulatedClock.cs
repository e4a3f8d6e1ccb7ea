namespace HcsLicensing.CssmSimulator.State;

/// <summary>
/// CSSM's clock: the real one plus an offset that tests move forward, so that bearer and registration tokens
/// can expire without waiting days.
/// </summary>
public sealed class SimulatedClock : TimeProvider
{
    private long _offsetTicks;

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);
}
