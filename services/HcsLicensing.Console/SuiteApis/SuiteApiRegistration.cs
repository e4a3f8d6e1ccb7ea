using Microsoft.Extensions.Http.Resilience;

namespace HcsLicensing.Console.SuiteApis;

/// <summary>
/// One typed HttpClient per service (base addresses from the "Suite" section), each with the standard resilience
/// pipeline; changes are not retried (a repeated POST could start a second job). Every call carries the operator's token.
/// </summary>
public static class SuiteApiRegistration
{
    public const string Section = "Suite";

    public static WebApplicationBuilder AddSuiteApis(this WebApplicationBuilder builder)
    {
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddScoped<OperatorToken>();
        Add<JobTrackerApi>(builder, "JobTracker");
        Add<ClusterAssignApi>(builder, "ClusterAssign");
        Add<ChpaApi>(builder, "Chpa");
        Add<SmartAccountSyncApi>(builder, "SmartAccountSync");
        return builder;
    }

    private static void Add<TApi>(WebApplicationBuilder builder, string service)
        where TApi : class
    {
        var address = builder.Configuration[$"{Section}:{service}"]
            ?? throw new InvalidOperationException($"{Section}:{service} (the service's base URL) is not set");
        builder.Services.AddHttpClient<TApi>(client =>
            {
                client.BaseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
                client.Timeout = TimeSpan.FromSeconds(60);
            })
            .AddStandardResilienceHandler(options => options.Retry.DisableForUnsafeHttpMethods());
    }
}
