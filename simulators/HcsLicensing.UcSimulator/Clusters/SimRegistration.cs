namespace HcsLicensing.UcSimulator.Clusters;

/// <summary>A cluster's Smart Licensing registration as its Smart Agent holds it.</summary>
public sealed record SimRegistration
{
    public static readonly SimRegistration Unregistered = new();

    public SimRegistrationState State { get; init; } = SimRegistrationState.Unregistered;

    public SimAuthorizationState Authorization { get; init; } = SimAuthorizationState.Eval;

    public string? SmartAccountDomain { get; init; }

    public string? VirtualAccount { get; init; }

    public string? ProductInstanceId { get; init; }

    /// <summary>Why the last registration failed, e.g. "invalid_token: ...".</summary>
    public string? FailureReason { get; init; }

    public DateTimeOffset? LastAttemptAt { get; init; }
}
