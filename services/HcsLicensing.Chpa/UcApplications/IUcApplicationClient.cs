using HcsLicensing.Contracts.Chpa;

namespace HcsLicensing.Chpa.UcApplications;

/// <summary>
/// Every licensing operation CHPA performs on a UC application. <see cref="Http.HttpUcApplicationClient"/> speaks the
/// UC simulator's API; a real CUCM adapter implements the same interface over CUCM's own interfaces
/// (docs/uc-simulator.md says what each method must do). No method throws for network or publisher failures:
/// they come back as a <see cref="UcResult{T}"/> naming the cause.
/// </summary>
public interface IUcApplicationClient
{
    /// <summary>Product type and active version, through the platform API with the platform credentials.</summary>
    Task<UcResult<UcPlatformVersion>> GetPlatformVersionAsync(UcTarget target, CancellationToken cancellationToken);

    /// <summary>The Smart Agent's state, with the management credentials. Safe to retry.</summary>
    Task<UcResult<UcLicensingStatus>> GetStatusAsync(UcTarget target, CancellationToken cancellationToken);

    Task<UcResult<UcLicenseMode>> GetLicenseModeAsync(UcTarget target, CancellationToken cancellationToken);

    /// <summary>Sets the license mode; idempotent.</summary>
    Task<UcResult<UcLicenseModeChange>> SetLicenseModeAsync(UcTarget target, UcLicenseMode mode, CancellationToken cancellationToken);

    Task<UcResult<UcTransport>> GetTransportAsync(UcTarget target, CancellationToken cancellationToken);

    /// <summary>Sets the transport settings; idempotent.</summary>
    Task<UcResult<UcTransport>> SetTransportAsync(UcTarget target, UcTransport transport, CancellationToken cancellationToken);

    /// <summary>
    /// Starts a registration with an ID token; the publisher then restarts. Sent once, never retried: when the outcome
    /// is unknown (timeout, dropped connection), the caller reads the status instead of sending it again.
    /// </summary>
    Task<UcResult<UcRegistrationAccepted>> RegisterAsync(UcTarget target, string idToken, bool force, CancellationToken cancellationToken);

    /// <summary>Deregisters from CSSM; the status afterwards.</summary>
    Task<UcResult<UcLicensingStatus>> DeregisterAsync(UcTarget target, CancellationToken cancellationToken);
}
