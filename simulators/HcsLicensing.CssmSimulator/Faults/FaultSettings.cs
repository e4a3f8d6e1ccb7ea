namespace HcsLicensing.CssmSimulator.Faults;

/// <summary>
/// How CSSM misbehaves, for the token endpoint and swapi (never for /sim): random latency, errors and throttling
/// at a rate, and deterministic bursts ("the next N calls answer 429") that tests can rely on.
/// </summary>
public sealed class FaultSettings
{
    /// <summary>Added to every CSSM call before it is answered.</summary>
    public int LatencyMs { get; set; }

    /// <summary>When set, <see cref="LatencyMs"/> is added only to calls whose path ends with it (e.g. <c>/devices</c>).</summary>
    public string? LatencyPath { get; set; }

    /// <summary>Share of calls (0..1) answered 503 at random.</summary>
    public double ErrorRate { get; set; }

    /// <summary>Share of calls (0..1) answered 429 with Retry-After at random.</summary>
    public double ThrottleRate { get; set; }

    /// <summary>The Retry-After of every 429, in seconds.</summary>
    public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>The next this many calls are answered 429 (counted down), before any error burst.</summary>
    public int ThrottleNext { get; set; }

    /// <summary>Then the next this many calls are answered with <see cref="FailStatus"/> (counted down).</summary>
    public int FailNext { get; set; }

    /// <summary>When set, the two bursts above count only calls whose path ends with it (e.g. <c>/licenses</c>); others pass.</summary>
    public string? BurstPath { get; set; }

    /// <summary>The status of the error burst, 503 unless set (500, 502, 504 ...).</summary>
    public int FailStatus { get; set; } = 503;

    /// <summary>
    /// The next this many swapi POSTs (token creations) are carried out but answered 504 (counted down): the answer is
    /// lost on the way, as when a proxy gives up on a slow CSSM, and a token exists that its caller never heard of.
    /// </summary>
    public int LoseAnswerNext { get; set; }

    public FaultSettings Copy() => (FaultSettings)MemberwiseClone();
}
