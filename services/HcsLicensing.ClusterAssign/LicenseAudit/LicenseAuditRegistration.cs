namespace HcsLicensing.ClusterAssign.LicenseAudit;

/// <summary>The license audit's services, options and periodic check, in one line of Program.cs.</summary>
public static class LicenseAuditRegistration
{
    public static WebApplicationBuilder AddLicenseAudit(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<LicenseAuditOptions>(builder.Configuration.GetSection(LicenseAuditOptions.Section));
        builder.Services.AddSingleton<LicenseAuditMetrics>();
        builder.Services.AddScoped<LicenseAuditJobEvents>();
        builder.Services.AddScoped<LicenseAuditClaim>();
        builder.Services.AddScoped<LicenseFindingStore>();
        builder.Services.AddScoped<LicenseAuditRunner>();
        builder.Services.AddScoped<LicenseRepairStarter>();
        builder.Services.AddHostedService<PeriodicLicenseAudit>();
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(LicenseAuditMetrics.MeterName));
        return builder;
    }
}
