using HcsLicensing.UcSimulator.Admin;
using HcsLicensing.UcSimulator.Clusters;

namespace HcsLicensing.UcSimulator.Faults;

/// <summary>
/// What stands between a caller and a cluster's licensing API, in the order a real network and publisher impose it:
/// the host must exist and be reachable, the answer takes its latency, a restarting publisher does not serve,
/// a sick one fails, and only then are the credentials checked. Runs as an endpoint filter on every licensing route.
/// </summary>
public sealed class PublisherGate(ClusterStore clusters, KnobBoard board, TimeProvider clock, PublisherTraffic traffic) : IEndpointFilter
{
    /// <summary>The HttpContext item the matched cluster is handed to the endpoint under.</summary>
    public const string ClusterItem = "uc-cluster";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var publisher = http.GetRouteValue("publisher") as string ?? "";
        var cluster = clusters.ByPublisher(publisher);
        var global = board.Current;
        // Before anything else: the credentials have left the caller by now, whatever the host does with them.
        traffic.Record(publisher, known: cluster is not null, withCredentials: http.Request.Headers.Authorization.Count > 0);
        if (cluster is null)
        {
            // No such host on the network: the caller sees a dropped connection, not an HTTP answer.
            return Drop(http);
        }

        var knobs = cluster.Knobs;
        var latency = knobs.LatencyMs ?? global.LatencyMs;
        if (latency > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(latency), clock, http.RequestAborted);
        }

        if (knobs.Unreachable)
        {
            return Drop(http);
        }

        if (global.Unavailable)
        {
            http.Response.Headers.RetryAfter = "5";
            return Results.Problem(title: "Publisher unavailable", statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        if (cluster.IsRestarting(clock.GetUtcNow()))
        {
            if (global.RestartBehaviour == RestartBehaviour.Drop)
            {
                return Drop(http);
            }

            http.Response.Headers.RetryAfter = "5";
            return Results.Problem(title: "Publisher restarting", statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        if (Random.Shared.NextDouble() < (knobs.FailureRate ?? global.FailureRate))
        {
            return Results.Problem(title: "Simulated publisher failure", statusCode: StatusCodes.Status500InternalServerError);
        }

        var credentials = IsPlatformRoute(http) ? cluster.Platform : cluster.Management;
        if (knobs.RefuseCredentials || !credentials.Accepts(http.Request.Headers.Authorization))
        {
            http.Response.Headers.WWWAuthenticate = $"Basic realm=\"{cluster.Publisher}\"";
            return Results.Problem(title: "Credentials refused", statusCode: StatusCodes.Status401Unauthorized);
        }

        http.Items[ClusterItem] = cluster;
        return await next(context);
    }

    /// <summary>The platform (OS administration) API takes the platform credentials; the licensing API the management ones.</summary>
    private static bool IsPlatformRoute(HttpContext http) =>
        http.Request.Path.Value?.Contains("/platform/", StringComparison.OrdinalIgnoreCase) == true;

    private static IResult Drop(HttpContext http)
    {
        http.Abort();
        return Results.Empty;
    }
}
