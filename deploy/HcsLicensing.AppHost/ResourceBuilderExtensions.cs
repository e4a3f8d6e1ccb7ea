namespace HcsLicensing.AppHost;

internal static class ResourceBuilderExtensions
{
    /// <summary>Sets every variable of <paramref name="variables"/> (configuration keys in the __ form).</summary>
    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, IReadOnlyDictionary<string, string> variables)
        where T : IResourceWithEnvironment
    {
        foreach (var (name, value) in variables)
        {
            builder.WithEnvironment(name, value);
        }

        return builder;
    }

    /// <summary>
    /// The service accepts tokens of the suite's issuer (Authentication:Authority), over plain http since it runs on this
    /// machine only, and starts once the issuer is ready.
    /// </summary>
    public static IResourceBuilder<ProjectResource> TrustIssuer(this IResourceBuilder<ProjectResource> service, IResourceBuilder<ProjectResource> issuer)
    {
        var url = issuer.GetEndpoint("http");
        return service
            .WithEnvironment("Authentication__Authority", ReferenceExpression.Create($"{url}/"))
            .WithEnvironment("Authentication__Audience", Demo.DemoOptions.Audience)
            .WithEnvironment("Authentication__RequireHttpsMetadata", "false")
            .WaitFor(issuer);
    }
}
