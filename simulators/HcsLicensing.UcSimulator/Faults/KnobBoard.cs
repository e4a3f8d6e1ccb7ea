namespace HcsLicensing.UcSimulator.Faults;

/// <summary>The simulator-wide knobs now; the admin API turns them while the simulator runs.</summary>
public sealed class KnobBoard(GlobalKnobs initial)
{
    private GlobalKnobs _current = initial;

    public GlobalKnobs Current
    {
        get => Volatile.Read(ref _current);
        set => Volatile.Write(ref _current, value);
    }
}
