using HcsLicensing.UcSimulator.Clusters;
using HcsLicensing.UcSimulator.Cssm;
using HcsLicensing.UcSimulator.Faults;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HcsLicensing.UcSimulator.Licensing;

/// <summary>
/// The licensing API of every simulated publisher, at /publishers/{publisher}/ (a real publisher serves it at its own
/// host). Verbs after the Smart Agent's: show status, read/set license mode, read/set transport, register with an ID
/// token, deregister, renew authorization; plus the platform API's version. docs/uc-simulator.md describes it.
/// </summary>
public static class LicensingApi
{
    public static IEndpointRouteBuilder MapLicensingApi(this IEndpointRouteBuilder endpoints)
    {
        var publisher = endpoints.MapGroup("/publishers/{publisher}").AddEndpointFilter<PublisherGate>().WithTags("Licensing");
        publisher.MapGet("/platform/version", (HttpContext http) => TypedResults.Ok(PlatformVersion(Cluster(http))));
        publisher.MapGet("/smartlicensing/status", (HttpContext http, TimeProvider clock) => TypedResults.Ok(Status(Cluster(http), clock.GetUtcNow())));
        publisher.MapGet("/smartlicensing/license-mode", (HttpContext http) => TypedResults.Ok(new LicenseModeDto(Cluster(http).LicenseMode)));
        publisher.MapPut("/smartlicensing/license-mode", SetLicenseMode);
        publisher.MapGet("/smartlicensing/transport", (HttpContext http) => TypedResults.Ok(TransportDto.From(Cluster(http).Transport)));
        publisher.MapPut("/smartlicensing/transport", SetTransport);
        publisher.MapPost("/smartlicensing/register", Register);
        publisher.MapPost("/smartlicensing/deregister", Deregister);
        publisher.MapPost("/smartlicensing/renew-authorization", RenewAuthorization);
        return endpoints;
    }

    private static SimCluster Cluster(HttpContext http) => (SimCluster)http.Items[PublisherGate.ClusterItem]!;

    private static PlatformVersionDto PlatformVersion(SimCluster cluster) => new(cluster.Type, cluster.Version, cluster.Name);

    private static LicensingStatusDto Status(SimCluster cluster, DateTimeOffset now)
    {
        var registration = cluster.Registration(now);
        return new LicensingStatusDto(
            cluster.Name,
            cluster.Type,
            cluster.Version,
            cluster.LicenseMode,
            TransportDto.From(cluster.Transport),
            new RegistrationDto(registration.State, registration.SmartAccountDomain, registration.VirtualAccount, registration.ProductInstanceId, registration.FailureReason, registration.LastAttemptAt),
            new AuthorizationDto(registration.Authorization));
    }

    private static Results<Ok<LicenseModeChangedDto>, BadRequest<ErrorDto>> SetLicenseMode(HttpContext http, LicenseModeDto? body)
    {
        if (body is null || !Enum.IsDefined(body.LicenseMode))
        {
            return TypedResults.BadRequest(new ErrorDto("invalid_license_mode", "licenseMode must be Enterprise or HCS"));
        }

        var previous = Cluster(http).SetLicenseMode(body.LicenseMode);
        return TypedResults.Ok(new LicenseModeChangedDto(body.LicenseMode, previous));
    }

    private static Results<Ok<TransportDto>, BadRequest<ErrorDto>> SetTransport(HttpContext http, TransportDto? body)
    {
        if (body is null || !Enum.IsDefined(body.Mode))
        {
            return TypedResults.BadRequest(new ErrorDto("invalid_transport", "mode must be Direct, Proxy or TransportGateway"));
        }

        var transport = body.ToTransport();
        if (transport.Problem() is { } problem)
        {
            return TypedResults.BadRequest(new ErrorDto("invalid_transport", problem));
        }

        var cluster = Cluster(http);
        cluster.SetTransport(transport);
        return TypedResults.Ok(TransportDto.From(cluster.Transport));
    }

    /// <summary>
    /// Accepts a registration and answers at once (202); the publisher then restarts, and the outcome (Registered,
    /// or Failed with the reason CSSM gave) shows in the status once it is back.
    /// </summary>
    private static Results<Accepted<RegisterAcceptedDto>, BadRequest<ErrorDto>, Conflict<ErrorDto>> Register(
        HttpContext http, RegisterDto? body, SmartAgent agent, KnobBoard board, RegistrationMeter meter, TimeProvider clock)
    {
        if (string.IsNullOrWhiteSpace(body?.IdToken))
        {
            return TypedResults.BadRequest(new ErrorDto("invalid_request", "idToken is required"));
        }

        var cluster = Cluster(http);
        var restartSeconds = cluster.Knobs.RestartSeconds ?? board.Current.RestartSeconds;
        var idToken = body.IdToken;
        var now = clock.GetUtcNow();
        var started = cluster.BeginRegistration(body.Force, TimeSpan.FromSeconds(restartSeconds), now, () => agent.RegisterAsync(cluster, idToken), out var refusal);
        if (started is null)
        {
            return TypedResults.Conflict(new ErrorDto(refusal!, refusal == "already_registered"
                ? "the cluster is registered; register with force to register it again"
                : "a registration is in progress"));
        }

        meter.Began(cluster.Name, now, now + TimeSpan.FromSeconds(restartSeconds));
        if (cluster.Knobs.LoseRegisterAnswer)
        {
            http.Abort();
        }

        return TypedResults.Accepted($"{http.Request.PathBase}/publishers/{cluster.Publisher}/smartlicensing/status", new RegisterAcceptedDto(started.State, restartSeconds));
    }

    private static async Task<Ok<LicensingStatusDto>> Deregister(HttpContext http, SmartAgent agent, TimeProvider clock)
    {
        var cluster = Cluster(http);
        var before = cluster.Deregister(clock.GetUtcNow());
        await agent.DeregisterAsync(cluster, before);
        return TypedResults.Ok(Status(cluster, clock.GetUtcNow()));
    }

    private static Results<Ok<LicensingStatusDto>, Conflict<ErrorDto>> RenewAuthorization(HttpContext http, TimeProvider clock)
    {
        var cluster = Cluster(http);
        return cluster.RenewAuthorization(clock.GetUtcNow())
            ? TypedResults.Ok(Status(cluster, clock.GetUtcNow()))
            : TypedResults.Conflict(new ErrorDto("not_registered", "only a registered cluster renews its authorization"));
    }
}
