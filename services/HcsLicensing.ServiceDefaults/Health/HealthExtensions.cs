using HcsLicensing.ServiceDefaults.Messaging;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HcsLicensing.ServiceDefaults.Health;

/// <summary>Liveness and readiness probes with the meaning Kubernetes gives them.</summary>
public static class HealthExtensions
{
    /// <summary>The tag of checks that decide readiness (MassTransit's bus check, the broker's reachability, PostgreSQL).</summary>
    public const string ReadyTag = "ready";

    /// <summary>
    /// /health/live answers as long as the process serves requests (no dependency checked: a broker outage
    /// must not get every replica restarted); /health/ready runs the checks tagged "ready". Both open to anyone:
    /// probes carry no token.
    /// </summary>
    public static IEndpointRouteBuilder MapServiceHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        endpoints.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) }).AllowAnonymous();
        return endpoints;
    }

    /// <summary>The broker's reachability (<see cref="BrokerReachability"/>), beside MassTransit's bus check.</summary>
    internal static IHealthChecksBuilder AddBrokerReadiness(this IServiceCollection services, IReadOnlyList<System.Net.DnsEndPoint> nodes, BrokerTls? tls) =>
        services.AddHealthChecks().AddCheck(BrokerReachability.Name, new BrokerReachability(nodes, tls), tags: [ReadyTag]);

    internal static IHealthChecksBuilder AddPostgresReadiness(this IServiceCollection services, string connectionString) =>
        services.AddHealthChecks().AddNpgSql(connectionString, name: "postgresql", tags: [ReadyTag]);
}
