using Refit;

namespace HcsLicensing.Chpa.UcApplications.Http;

/// <summary>
/// The licensing API of a publisher as the UC simulator serves it (docs/uc-simulator.md), relative to the publisher's
/// base address. Every call carries HTTP Basic credentials: platform ones for platform/, management ones for the rest.
/// </summary>
public interface IUcLicensingApi
{
    [Get("/platform/version")]
    Task<IApiResponse<PlatformVersionWire>> GetPlatformVersion([Authorize("Basic")] string credentials, CancellationToken cancellationToken);

    [Get("/smartlicensing/status")]
    Task<IApiResponse<LicensingStatusWire>> GetStatus([Authorize("Basic")] string credentials, CancellationToken cancellationToken);

    [Get("/smartlicensing/license-mode")]
    Task<IApiResponse<LicenseModeWire>> GetLicenseMode([Authorize("Basic")] string credentials, CancellationToken cancellationToken);

    [Put("/smartlicensing/license-mode")]
    Task<IApiResponse<LicenseModeChangedWire>> SetLicenseMode([Authorize("Basic")] string credentials, [Body] LicenseModeWire body, CancellationToken cancellationToken);

    [Get("/smartlicensing/transport")]
    Task<IApiResponse<TransportWire>> GetTransport([Authorize("Basic")] string credentials, CancellationToken cancellationToken);

    [Put("/smartlicensing/transport")]
    Task<IApiResponse<TransportWire>> SetTransport([Authorize("Basic")] string credentials, [Body] TransportWire body, CancellationToken cancellationToken);

    [Post("/smartlicensing/register")]
    Task<IApiResponse<RegisterAcceptedWire>> Register([Authorize("Basic")] string credentials, [Body] RegisterWire body, CancellationToken cancellationToken);

    [Post("/smartlicensing/deregister")]
    Task<IApiResponse<LicensingStatusWire>> Deregister([Authorize("Basic")] string credentials, CancellationToken cancellationToken);
}
