namespace HcsLicensing.UcSimulator.Faults;

/// <summary>What a publisher does while it restarts after a register.</summary>
public enum RestartBehaviour
{
    /// <summary>Answers 503 with Retry-After, as a web server in front of a stopped application does.</summary>
    ServiceUnavailable,

    /// <summary>Drops the connection, as a host whose services are down does.</summary>
    Drop,
}

/// <summary>Simulator-wide fault settings; a cluster's own <see cref="Clusters.SimKnobs"/> override them.</summary>
public sealed record GlobalKnobs
{
    public int LatencyMs { get; init; }

    /// <summary>Share of requests (0..1) answered 500.</summary>
    public double FailureRate { get; init; }

    /// <summary>How long a publisher restarts after a register (Inprogress meanwhile).</summary>
    public int RestartSeconds { get; init; } = 20;

    public RestartBehaviour RestartBehaviour { get; init; } = RestartBehaviour.ServiceUnavailable;

    /// <summary>
    /// Every publisher answers 503 with Retry-After, as a web server whose application is stopped does (an outage of
    /// the UC side, for reliability drills), until the knob is turned off again.
    /// </summary>
    public bool Unavailable { get; init; }
}
