namespace HcsLicensing.CssmSimulator.Faults;

/// <summary>Decides, call by call, whether CSSM answers normally, late, throttled or failing.</summary>
public sealed class FaultInjector(FaultSettings initial)
{
    private readonly Lock _gate = new();
    private FaultSettings _settings = initial.Copy();

    public FaultSettings Current
    {
        get
        {
            lock (_gate)
            {
                return _settings.Copy();
            }
        }
    }

    public void Set(FaultSettings settings)
    {
        lock (_gate)
        {
            _settings = settings.Copy();
        }
    }

    /// <summary>
    /// The latency to add and the status to answer instead of the real one (null: answer normally), or, with
    /// LoseAnswer, carry the call out and answer 504 instead of its answer (only a swapi POST, <paramref name="creates"/>).
    /// </summary>
    public (int LatencyMs, int? Status, int RetryAfterSeconds, bool LoseAnswer) Next(bool creates = false, string path = "")
    {
        lock (_gate)
        {
            var s = _settings;
            int? status = null;
            var loseAnswer = false;
            var inBurst = string.IsNullOrEmpty(s.BurstPath) || path.EndsWith(s.BurstPath, StringComparison.OrdinalIgnoreCase);
            if (inBurst && s.ThrottleNext > 0)
            {
                s.ThrottleNext--;
                status = StatusCodes.Status429TooManyRequests;
            }
            else if (inBurst && s.FailNext > 0)
            {
                s.FailNext--;
                status = s.FailStatus;
            }
            else if (creates && s.LoseAnswerNext > 0)
            {
                s.LoseAnswerNext--;
                loseAnswer = true;
            }
            else if (s.ThrottleRate > 0 && Random.Shared.NextDouble() < s.ThrottleRate)
            {
                status = StatusCodes.Status429TooManyRequests;
            }
            else if (s.ErrorRate > 0 && Random.Shared.NextDouble() < s.ErrorRate)
            {
                status = StatusCodes.Status503ServiceUnavailable;
            }

            var latency = string.IsNullOrEmpty(s.LatencyPath) || path.EndsWith(s.LatencyPath, StringComparison.OrdinalIgnoreCase) ? s.LatencyMs : 0;
            return (latency, status, s.RetryAfterSeconds, loseAnswer);
        }
    }
}
