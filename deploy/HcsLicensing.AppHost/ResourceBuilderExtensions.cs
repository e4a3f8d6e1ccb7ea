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
}
