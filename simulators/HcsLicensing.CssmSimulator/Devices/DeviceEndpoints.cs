using HcsLicensing.CssmSimulator.OAuth;
using HcsLicensing.CssmSimulator.State;

namespace HcsLicensing.CssmSimulator.Devices;

/// <summary>
/// The device side, which Cisco does not publish: a UC application (through the UC simulator) registers with an ID
/// token into the token's VA, or deregisters. The contract is the simulator's own; see docs/cssm-simulator.md.
/// </summary>
public static class DeviceEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var devices = endpoints.MapGroup("/sim/devices");

        devices.MapPost("/register", (CssmStore store, RegisterRequest request) =>
        {
            if (string.IsNullOrWhiteSpace(request.IdToken) || string.IsNullOrWhiteSpace(request.ProductInstanceName))
            {
                return Results.Json(new OAuthError("invalid_request", "idToken and productInstanceName are required"), statusCode: StatusCodes.Status400BadRequest);
            }

            var outcome = store.Register(request.IdToken, request.ProductInstanceName, request.ProductType ?? "CUCM", request.Version ?? "");
            return outcome.Instance is { } instance
                ? Results.Json(new RegisterResponse(instance.ProductInstanceId, instance.Domain, instance.VirtualAccount))
                : Results.Json(new OAuthError("invalid_token", outcome.Error!), statusCode: StatusCodes.Status400BadRequest);
        });

        devices.MapPost("/{productInstanceId:guid}/deregister", (CssmStore store, Guid productInstanceId) =>
            store.Deregister(productInstanceId) ? Results.NoContent() : Results.NotFound());
    }
}

/// <summary>POST /sim/devices/register's body.</summary>
public sealed record RegisterRequest(string? IdToken, string? ProductInstanceName, string? ProductType, string? Version);

/// <summary>A registered product instance and where it now lives.</summary>
public sealed record RegisterResponse(Guid ProductInstanceId, string SmartAccountDomain, string VirtualAccount);
