using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace HcsLicensing.ServiceDefaults.Retention;

/// <summary>Registration of retention rules and the one pruner per service that runs them.</summary>
public static class RetentionExtensions
{
    /// <summary>The service's own rules, added to the outbox's and inbox's (which AddServiceBus registers).</summary>
    public static IHostApplicationBuilder AddRetention<TDbContext>(this IHostApplicationBuilder builder, params RetentionRule[] rules)
        where TDbContext : DbContext
    {
        builder.Services.AddRetention<TDbContext>(builder.Configuration, rules);
        return builder;
    }

    /// <summary>Adds <paramref name="rules"/>; the "Retention" options and the pruner are registered once however often this is called.</summary>
    public static IServiceCollection AddRetention<TDbContext>(this IServiceCollection services, IConfiguration configuration, params RetentionRule[] rules)
        where TDbContext : DbContext
    {
        if (!services.Any(service => service.ServiceType == typeof(RetentionPruner<TDbContext>)))
        {
            services.Configure<RetentionOptions>(configuration.GetSection(RetentionOptions.Section));
            services.TryAddSingleton(TimeProvider.System);
            services.AddSingleton<RetentionPruner<TDbContext>>();
            services.AddHostedService(provider => provider.GetRequiredService<RetentionPruner<TDbContext>>());
        }

        foreach (var rule in rules)
        {
            services.AddSingleton(rule);
        }

        return services;
    }
}
