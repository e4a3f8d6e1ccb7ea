extern alias chpa;
extern alias clusterassign;
extern alias jobtracker;
extern alias smartaccountsync;

using HcsLicensing.TestBed.Suite;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HcsLicensing.Security.Tests.Endpoints;

/// <summary>One HTTP endpoint as the service's routing has it: method, route pattern, and the permission it names (null: open).</summary>
public sealed record ServiceEndpoint(SuiteService Service, string Method, string Pattern, string? Permission, bool AllowsAnonymous)
{
    public override string ToString() => $"{Service} {Method} {Pattern}";
}

/// <summary>
/// Every endpoint of each service, read from its EndpointDataSource: the service's own Program is built in this process
/// (WebApplicationFactory) with its hosted services removed, so nothing starts (no bus, no migration), only the routing
/// that Program maps. A new endpoint appears here without anyone listing it.
/// </summary>
public static class ServiceEndpoints
{
    public static IReadOnlyList<ServiceEndpoint> Of(SuiteService service, IReadOnlyDictionary<string, string> environment) => service switch
    {
        SuiteService.JobTracker => Read<jobtracker::Program>(service, environment),
        SuiteService.SmartAccountSync => Read<smartaccountsync::Program>(service, environment),
        SuiteService.Chpa => Read<chpa::Program>(service, environment),
        SuiteService.ClusterAssign => Read<clusterassign::Program>(service, environment),
        _ => throw new ArgumentOutOfRangeException(nameof(service), service, "not one of the four services"),
    };

    private static List<ServiceEndpoint> Read<TEntryPoint>(SuiteService service, IReadOnlyDictionary<string, string> environment)
        where TEntryPoint : class
    {
        using var factory = new WebApplicationFactory<TEntryPoint>().WithWebHostBuilder(web =>
        {
            // The suite process's own configuration (environment names use "__" for ":").
            foreach (var (key, value) in environment)
            {
                web.UseSetting(key.Replace("__", ":", StringComparison.Ordinal), value);
            }

            web.ConfigureTestServices(services => services.RemoveAll<IHostedService>());
            web.ConfigureLogging(logging => logging.ClearProviders()); // nothing runs, nothing to read

        });
        var sources = factory.Services.GetServices<EndpointDataSource>();
        return [.. sources.SelectMany(source => source.Endpoints).OfType<RouteEndpoint>().SelectMany(endpoint => Describe(service, endpoint))];
    }

    private static IEnumerable<ServiceEndpoint> Describe(SuiteService service, RouteEndpoint endpoint)
    {
        var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [HttpMethods.Get];
        var permissions = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(data => data.Policy).OfType<string>().Distinct().ToList();
        var anonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
        var pattern = "/" + endpoint.RoutePattern.RawText?.TrimStart('/');
        return methods.Select(method => new ServiceEndpoint(service, method, pattern, permissions.Count == 1 ? permissions[0] : permissions.Count == 0 ? null : string.Join(",", permissions), anonymous));
    }
}
