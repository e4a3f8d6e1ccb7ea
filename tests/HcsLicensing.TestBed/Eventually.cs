using System.Runtime.CompilerServices;

namespace HcsLicensing.TestBed;

/// <summary>
/// Polls a condition until it holds; when it does not hold in time, throws with the condition and the value last
/// read, so a test waiting on it can never go on (and pass) as if it had.
/// </summary>
public static class Eventually
{
    public static async Task<T> Poll<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan timeout, [CallerArgumentExpression(nameof(done))] string? condition = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        var value = await read();
        while (!done(value))
        {
            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"{condition} did not hold within {timeout}; last seen: {Describe(value)}");
            }

            await Task.Delay(50);
            value = await read();
        }

        return value;
    }

    private static string Describe<T>(T value) => value switch
    {
        null => "null",
        string text => $"\"{text}\"",
        System.Collections.IEnumerable items => $"[{string.Join(", ", items.Cast<object?>().Take(20))}]",
        _ => value.ToString() ?? "",
    };
}
