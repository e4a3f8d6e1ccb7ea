using System.Text.Json.Serialization;
using Refit;

namespace HcsLicensing.UcSimulator.Cssm;

/// <summary>The device side of the CSSM simulator, which a UC application's Smart Agent talks to when it registers.</summary>
public interface ICssmDeviceApi
{
    [Post("/sim/devices/register")]
    Task<IApiResponse<CssmDeviceRegistered>> Register([Body] CssmDeviceRegistration registration, CancellationToken cancellationToken);

    [Post("/sim/devices/{productInstanceId}/deregister")]
    Task<IApiResponse> Deregister(string productInstanceId, CancellationToken cancellationToken);
}

/// <summary>POST /sim/devices/register body.</summary>
public sealed record CssmDeviceRegistration(string IdToken, string ProductInstanceName, string ProductType, string Version);

/// <summary>POST /sim/devices/register 200 body.</summary>
public sealed record CssmDeviceRegistered(string ProductInstanceId, string SmartAccountDomain, string VirtualAccount);

/// <summary>The OAuth-style error body CSSM answers a refused registration with (400).</summary>
public sealed record CssmDeviceError(
    [property: JsonPropertyName("error")] string? Error,
    [property: JsonPropertyName("error_description")] string? ErrorDescription);
