using System.Net;
using System.Net.Http.Json;
using HcsLicensing.ServiceDefaults.Security;
using HcsLicensing.TestBed.Suite;
using Npgsql;

namespace HcsLicensing.Security.Tests.Endpoints;

/// <summary>Who requested an operation is the caller the token names, whatever the request body says.</summary>
[TestFixture]
[NonParallelizable]
public sealed class CallerIdentityTests
{
    private HcsSuite _suite = null!;

    [OneTimeSetUp]
    public async Task StartSuite() => _suite = await SecuritySuite.GetAsync();

    [Test]
    public async Task An_operation_records_the_tokens_caller_as_requestedBy_and_a_body_cannot_claim_someone_else()
    {
        const string cluster = "caller-identity-probe";
        using var http = _suite.CreateClient(SuiteService.ClusterAssign, [HcsPermissions.Operate]);
        using var response = await http.PostAsJsonAsync(
            new Uri($"clusters/{cluster}/unassignment", UriKind.Relative), new { requestId = "who-asks-1", requestedBy = "someone-else" });
        Assert.That(response.StatusCode, Is.Not.EqualTo(HttpStatusCode.Unauthorized).And.Not.EqualTo(HttpStatusCode.Forbidden));

        // The ClusterOperation saga's row keeps who asked; read it from ClusterAssign's own database.
        await using var connection = new NpgsqlConnection(_suite.DatabaseOf(SuiteService.ClusterAssign));
        await connection.OpenAsync();
        string? requestedBy = null;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (requestedBy is null && DateTime.UtcNow < deadline)
        {
            await using var read = new NpgsqlCommand("SELECT requested_by FROM cluster_operations WHERE cluster_name = @name", connection);
            read.Parameters.AddWithValue("name", cluster);
            requestedBy = await read.ExecuteScalarAsync() as string;
            if (requestedBy is null)
            {
                await Task.Delay(200);
            }
        }

        Assert.That(requestedBy, Is.EqualTo(HcsSuite.IssuerClientId), "the token's subject (the client id), not the body's requestedBy");
    }
}
