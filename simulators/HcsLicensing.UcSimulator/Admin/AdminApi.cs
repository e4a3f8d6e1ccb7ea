using HcsLicensing.UcSimulator.Clusters;
using HcsLicensing.UcSimulator.Faults;
using HcsLicensing.UcSimulator.Licensing;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HcsLicensing.UcSimulator.Admin;

/// <summary>The simulator's back door for tests and demos: add, inspect and remove clusters, turn the knobs.</summary>
public static class AdminApi
{
    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder endpoints)
    {
        var admin = endpoints.MapGroup("/admin").WithTags("Admin");
        admin.MapGet("/clusters", ListClusters);
        admin.MapGet("/clusters/{name}", GetCluster);
        admin.MapGet("/registrations", ListRegistrations);
        admin.MapPut("/clusters/{name}", PutCluster);
        admin.MapDelete("/clusters/{name}", (string name, ClusterStore store) => store.Remove(name) ? Results.NoContent() : Results.NotFound());
        admin.MapPut("/clusters/{name}/knobs", PutClusterKnobs);
        admin.MapPut("/clusters/{name}/authorization", PutAuthorization);
        admin.MapGet("/registrations/concurrency", (RegistrationMeter meter, TimeProvider clock) => TypedResults.Ok(RegistrationsDto.From(meter.Read(clock.GetUtcNow()))));
        admin.MapDelete("/registrations/most", (RegistrationMeter meter, TimeProvider clock) =>
        {
            meter.Reset(clock.GetUtcNow());
            return TypedResults.Ok(RegistrationsDto.From(meter.Read(clock.GetUtcNow())));
        });
        admin.MapGet("/knobs", (KnobBoard board) => TypedResults.Ok(board.Current));
        admin.MapGet("/traffic", (PublisherTraffic traffic) => TypedResults.Ok(traffic.Snapshot()));
        admin.MapPut("/knobs", (GlobalKnobs knobs, KnobBoard board) =>
        {
            board.Current = knobs;
            return TypedResults.Ok(board.Current);
        });
        return endpoints;
    }

    private static Ok<AdminClusterPageDto> ListClusters(ClusterStore store, TimeProvider clock, int offset = 0, int limit = 100)
    {
        var now = clock.GetUtcNow();
        var items = store.Page(Math.Max(offset, 0), Math.Clamp(limit, 1, 1000))
            .Select(c => new AdminClusterLineDto(c.Name, c.Type, c.Version, c.Publisher, c.Registration(now).State))
            .ToList();
        return TypedResults.Ok(new AdminClusterPageDto(store.Count, offset, items));
    }

    /// <summary>Every cluster whose publisher received a register call, with its counters and registration now: one read for a whole drill.</summary>
    private static Ok<List<AdminRegistrationLineDto>> ListRegistrations(ClusterStore store, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        return TypedResults.Ok(store.Page(0, int.MaxValue)
            .Where(c => c.RegisterRequests > 0)
            .Select(c =>
            {
                var registration = c.Registration(now);
                return new AdminRegistrationLineDto(c.Name, c.RegisterRequests, c.RegistrationsStarted, registration.State, registration.SmartAccountDomain, registration.VirtualAccount);
            })
            .ToList());
    }

    private static Results<Ok<AdminClusterViewDto>, NotFound> GetCluster(string name, ClusterStore store, TimeProvider clock) =>
        store.ByName(name) is { } cluster ? TypedResults.Ok(View(cluster, clock.GetUtcNow())) : TypedResults.NotFound();

    private static Results<Ok<AdminClusterViewDto>, Conflict<ErrorDto>> PutCluster(string name, AdminClusterDto body, ClusterStore store, TimeProvider clock)
    {
        var definition = new SimClusterDefinition
        {
            Name = name,
            Type = body.Type,
            Version = body.Version,
            Publisher = body.Publisher,
            Management = new SimCredentials(body.ManagementUserName, body.ManagementPassword),
            Platform = new SimCredentials(body.PlatformUserName, body.PlatformPassword),
            LicenseMode = body.LicenseMode,
            Transport = body.Transport?.ToTransport() ?? SimTransport.Direct,
            Knobs = body.Knobs ?? new SimKnobs(),
        };
        return store.Put(definition)
            ? TypedResults.Ok(View(store.ByName(name)!, clock.GetUtcNow()))
            : TypedResults.Conflict(new ErrorDto("publisher_taken", $"publisher {body.Publisher} belongs to another cluster"));
    }

    private static Results<Ok<AdminClusterViewDto>, NotFound> PutClusterKnobs(string name, SimKnobs knobs, ClusterStore store, TimeProvider clock)
    {
        if (store.ByName(name) is not { } cluster)
        {
            return TypedResults.NotFound();
        }

        cluster.Knobs = knobs;
        return TypedResults.Ok(View(cluster, clock.GetUtcNow()));
    }

    /// <summary>A registered cluster's authorization jumps to a state (e.g. AuthorizationExpired); 409 when it is not registered.</summary>
    private static Results<Ok<AdminClusterViewDto>, NotFound, Conflict<ErrorDto>> PutAuthorization(string name, AuthorizationChange change, ClusterStore store, TimeProvider clock)
    {
        if (store.ByName(name) is not { } cluster)
        {
            return TypedResults.NotFound();
        }

        var now = clock.GetUtcNow();
        return cluster.SetAuthorization(change.State, now)
            ? TypedResults.Ok(View(cluster, now))
            : TypedResults.Conflict(new ErrorDto("not_registered", $"cluster {name} is not registered"));
    }

    private static AdminClusterViewDto View(SimCluster cluster, DateTimeOffset now)
    {
        var registration = cluster.Registration(now);
        return new AdminClusterViewDto(
            cluster.Name,
            cluster.Type,
            cluster.Version,
            cluster.Publisher,
            cluster.LicenseMode,
            TransportDto.From(cluster.Transport),
            new RegistrationDto(registration.State, registration.SmartAccountDomain, registration.VirtualAccount, registration.ProductInstanceId, registration.FailureReason, registration.LastAttemptAt),
            registration.Authorization,
            cluster.IsRestarting(now),
            cluster.RegisterRequests,
            cluster.Knobs);
    }
}
