using HcsLicensing.Console.SuiteApis;

namespace HcsLicensing.Console.Licenses;

/// <summary>CSV downloads of the License usage page's tables, fetched with the operator's token like the page itself.</summary>
public static class LicenseExports
{
    public static WebApplication MapLicenseExports(this WebApplication app)
    {
        var exports = app.MapGroup("/licenses/export").RequireAuthorization();
        exports.MapGet("/virtual-account.csv", async (string domain, string va, SmartAccountSyncApi api, CancellationToken cancellationToken) =>
            await api.LicensesAsync(domain, va, cancellationToken) is { } licenses
                ? File($"licenses-{va}.csv", Csv.Write(LicenseTables.VirtualAccountHeader, LicenseTables.VirtualAccountRows(licenses)))
                : Results.NotFound());
        exports.MapGet("/{table}.csv", async (string table, string domain, int? days, SmartAccountSyncApi api, CancellationToken cancellationToken) =>
        {
            // SmartAccountSync's own bound (expiringWithinDays), answered here as a problem rather than as its refusal.
            if (days is < 0 or > 3650)
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["days"] = ["days is a number of days from 0 to 3650"] });
            }

            if (await api.LicenseSummaryAsync(domain, days ?? 90, cancellationToken) is not { } summary)
            {
                return Results.NotFound();
            }

            return table switch
            {
                "usage" => File("license-usage.csv", Csv.Write(LicenseTables.UsageHeader, LicenseTables.UsageRows(summary))),
                "short" => File("licenses-short.csv", Csv.Write(LicenseTables.UsageHeader, LicenseTables.ShortRows(summary))),
                "expiring" => File("licenses-expiring.csv", Csv.Write(LicenseTables.ExpiringHeader, LicenseTables.ExpiringRows(summary))),
                _ => Results.Problem(title: "Unknown table", detail: "table is usage, short or expiring", statusCode: StatusCodes.Status404NotFound),
            };
        });
        return app;
    }

    private static IResult File(string name, string csv) => Results.File(System.Text.Encoding.UTF8.GetBytes(csv), "text/csv; charset=utf-8", name);
}
