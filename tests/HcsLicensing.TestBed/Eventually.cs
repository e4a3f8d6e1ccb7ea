namespace HcsLicensing.TestBed;

/// <summary>Polls a condition until it holds or the deadline passes; the test then asserts on the last value.</summary>
public static class Eventually
{
    public static async Task<T> Poll<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var value = await read();
        while (!done(value) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            value = await read();
        }

        return value;
    }
}
