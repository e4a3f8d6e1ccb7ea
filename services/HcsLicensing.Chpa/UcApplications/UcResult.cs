namespace HcsLicensing.Chpa.UcApplications;

/// <summary>
/// The outcome of one call to a publisher: a value, or a failure with its cause. Clients never throw for what the
/// network or the publisher does, so every caller has to decide what each cause means for its operation.
/// </summary>
public sealed record UcResult<T>
{
    public T? Value { get; init; }

    public UcFailure? Failure { get; init; }

    /// <summary>For <see cref="UcFailure.Refused"/>: the publisher's error code, e.g. "already_registered".</summary>
    public string? Error { get; init; }

    /// <summary>For people: what went wrong. Never holds credentials.</summary>
    public string? Detail { get; init; }

    public bool IsOk => Failure is null;
}

/// <summary>Makes <see cref="UcResult{T}"/> values.</summary>
public static class UcResult
{
    public static UcResult<T> Ok<T>(T value) => new() { Value = value };

    public static UcResult<T> Fail<T>(UcFailure failure, string? detail, string? error = null) => new() { Failure = failure, Detail = detail, Error = error };

    /// <summary>The value mapped when there is one, else the same failure.</summary>
    public static UcResult<TOut> Select<TIn, TOut>(this UcResult<TIn> result, Func<TIn, TOut> map) =>
        result.IsOk ? Ok(map(result.Value!)) : new() { Failure = result.Failure, Detail = result.Detail, Error = result.Error };
}
