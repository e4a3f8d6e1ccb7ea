using System.Text;
using HcsLicensing.Console.Licenses;
using HcsLicensing.Console.SuiteApis;

namespace HcsLicensing.Console.Audit;

/// <summary>The Audit page's CSV download: the same filters, every matching entry, fetched with the operator's token.</summary>
public static class AuditExport
{
    public static WebApplication MapAuditExport(this WebApplication app)
    {
        app.MapGet("/audit/export.csv", async (string? actor, string? entity, string? from, string? to, JobTrackerApi api, CancellationToken cancellationToken) =>
        {
            try
            {
                var entries = await AuditTable.ReadAllAsync(api, new AuditFilter(actor, entity, from, to), cancellationToken);
                var csv = Csv.Write(AuditTable.Header, entries.Select(AuditTable.Row));
                return Results.File(Encoding.UTF8.GetBytes(csv), "text/csv; charset=utf-8", "audit.csv");
            }
            catch (SuiteApiException refused) when (refused.Status == StatusCodes.Status400BadRequest)
            {
                // JobTracker named the bad filter: pass its words on.
                return Results.ValidationProblem(refused.Errors.ToDictionary(e => e.Key, e => e.Value), title: refused.Title);
            }
        }).RequireAuthorization();
        return app;
    }
}
