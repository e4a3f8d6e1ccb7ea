namespace HcsLicensing.UcSimulator.Clusters;

/// <summary>
/// How a cluster misbehaves. Null values fall back to the simulator-wide knobs (<see cref="Faults.GlobalKnobs"/>).
/// </summary>
public sealed record SimKnobs
{
    /// <summary>Delay before every answer of this publisher.</summary>
    public int? LatencyMs { get; init; }

    /// <summary>Share of requests (0..1) answered 500 before doing anything.</summary>
    public double? FailureRate { get; init; }

    /// <summary>The publisher is off the network: every connection is dropped.</summary>
    public bool Unreachable { get; init; }

    /// <summary>The publisher refuses every credential, even correct ones (e.g. a locked account).</summary>
    public bool RefuseCredentials { get; init; }

    /// <summary>
    /// The publisher takes a register but the answer never reaches the caller (the connection drops first): the case
    /// where a client must read the state rather than send the register again.
    /// </summary>
    public bool LoseRegisterAnswer { get; init; }

    /// <summary>How long the publisher restarts after a register.</summary>
    public int? RestartSeconds { get; init; }
}
