using System.Text;
using HcsLicensing.Console.Licenses;
using HcsLicensing.Console.SuiteApis;

namespace HcsLicensing.Console.Findings;

/// <summary>The License findings page's CSV download: the same filters, every matching finding, fetched with the operator's token.</summary>
public static class FindingExport
{
    public static WebApplication MapFindingExport(this WebApplication app)
    {
        app.MapGet("/findings/export.csv", async (string? type, string? severity, string? status, string? smartAccountDomain, string? virtualAccount, string? cluster,
            ClusterAssignApi api, CancellationToken cancellationToken) =>
        {
            try
            {
                var findings = await FindingTable.ReadAllAsync(api, new FindingFilter(type, severity, status, smartAccountDomain, virtualAccount, cluster), cancellationToken);
                var csv = Csv.Write(FindingTable.Header, findings.Select(FindingTable.Row));
                return Results.File(Encoding.UTF8.GetBytes(csv), "text/csv; charset=utf-8", "findings.csv");
            }
            catch (SuiteApiException refused) when (refused.Status == StatusCodes.Status400BadRequest)
            {
                // ClusterAssign named the bad filter: pass its words on.
                return Results.ValidationProblem(refused.Errors.ToDictionary(e => e.Key, e => e.Value), title: refused.Title);
            }
        }).RequireAuthorization();
        return app;
    }
}
