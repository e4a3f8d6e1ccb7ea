using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using HcsLicensing.Security.Tests.Tokens;
using HcsLicensing.ServiceDefaults.ErrorQueues;
using HcsLicensing.ServiceDefaults.Security;
using HcsLicensing.TestBed.Security;
using HcsLicensing.TestBed.Suite;

namespace HcsLicensing.Security.Tests.Endpoints;

/// <summary>
/// Walks every HTTP endpoint of the four services (as their routing lists them) against the running suite and its real
/// issuer: no token, an expired one, one for another audience, one signed by another key: 401 with WWW-Authenticate and
/// a problem; a valid token without the endpoint's permission: 403 naming it; with it: neither 401 nor 403.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed partial class EveryEndpointTests
{
    private static readonly SuiteService[] Services = [SuiteService.JobTracker, SuiteService.SmartAccountSync, SuiteService.Chpa, SuiteService.ClusterAssign];
    private const int CredentialAttempts = SecuritySuite.CredentialAttempts;
    private static readonly string[] Probes = ["/health/live", "/health/ready"];
    private static readonly string[] ReadOnly = [HcsPermissions.Read];
    private static readonly string[] AdminOnly = [HcsPermissions.Admin];
    private static readonly int[] ThreeEach = [3, 3, 3, 3];
    private HcsSuite _suite = null!;
    private ForgedTokens _forged = null!;

    [OneTimeSetUp]
    public async Task StartSuite()
    {
        _suite = await SecuritySuite.GetAsync();
        _forged = await ForgedTokens.ForAsync(_suite.AddressOf(SuiteService.Identity), _suite.IssuerKeyDirectory, TestIssuer.Audience);
    }

    [OneTimeTearDown]
    public void DisposeTokens() => _forged?.Dispose();

    [Test]
    public void Every_endpoint_but_the_health_probes_names_one_of_the_three_permissions()
    {
        var endpoints = Services.SelectMany(service => ServiceEndpoints.Of(service, _suite.EnvironmentOf(service))).ToList();
        var open = endpoints.Where(e => e.AllowsAnonymous).ToList();
        var unnamed = endpoints.Where(e => !e.AllowsAnonymous && (e.Permission is null || !HcsPermissions.All.Contains(e.Permission))).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(open.Select(e => e.Pattern).Distinct(), Is.EquivalentTo(Probes), "only the probes are open");
            Assert.That(unnamed, Is.Empty, "endpoints that name no permission of the table");
            Assert.That(endpoints.Where(e => e.Method == "GET" && !e.AllowsAnonymous && !IsErrorQueueAdmin(e)).Select(e => e.Permission).Distinct(), Is.EqualTo(ReadOnly), "every GET needs hcs.read");
            // Listing an error queue shows what failed and why, across the suite's traffic: an administrator's business.
            Assert.That(endpoints.Where(IsErrorQueueAdmin).Select(e => e.Permission).Distinct(), Is.EqualTo(AdminOnly), "the error queue API needs hcs.admin");
            Assert.That(endpoints.Where(IsErrorQueueAdmin).GroupBy(e => e.Service).Select(g => g.Count()), Is.EqualTo(ThreeEach), "every service has it");
        });
    }

    [Test]
    public async Task Every_endpoint_refuses_bad_tokens_with_401_a_missing_permission_with_403_and_accepts_its_permission()
    {
        var failures = new List<string>();
        var checkedCount = 0;
        foreach (var service in Services)
        {
            var endpoints = ServiceEndpoints.Of(service, _suite.EnvironmentOf(service)).Where(e => !e.AllowsAnonymous).ToList();
            Assert.That(endpoints, Is.Not.Empty, $"{service} maps no endpoint?");
            using var http = _suite.CreateClient(service, permissions: null);
            foreach (var endpoint in endpoints)
            {
                var permission = endpoint.Permission!;
                await ExpectUnauthorizedAsync(http, endpoint, token: null, "no token", failures);
                await ExpectUnauthorizedAsync(http, endpoint, _forged.Expired(), "expired token", failures);
                await ExpectUnauthorizedAsync(http, endpoint, _forged.OtherAudience(), "token of another audience", failures);
                await ExpectUnauthorizedAsync(http, endpoint, _forged.OtherSigningKey(), "token signed by another key", failures);

                var others = HcsPermissions.All.Where(p => p != permission).ToList();
                using (var response = await SendAsync(http, endpoint, await _suite.Tokens.GetAsync(others)))
                {
                    var body = await response.Content.ReadAsStringAsync();
                    if (response.StatusCode != HttpStatusCode.Forbidden || !IsProblem(response) || !body.Contains(permission, StringComparison.Ordinal))
                    {
                        failures.Add($"{endpoint} with [{string.Join(' ', others)}]: expected a 403 problem naming {permission}, got {(int)response.StatusCode} {body}");
                    }
                }

                using (var response = await SendAsync(http, endpoint, await _suite.Tokens.GetAsync(permission)))
                {
                    if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                    {
                        failures.Add($"{endpoint} with [{permission}]: refused with {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                    }
                }

                checkedCount++;
            }
        }

        await TestContext.Out.WriteLineAsync($"{checkedCount} endpoints checked, 6 requests each, across {Services.Length} services");
        Assert.Multiple(() =>
        {
            Assert.That(failures, Is.Empty);
            Assert.That(checkedCount, Is.GreaterThanOrEqualTo(36), "the four services mapped 36 protected endpoints when this was written (3 each of them the error queue API)");
        });
    }

    [Test]
    public async Task A_token_made_with_the_issuers_key_and_every_claim_right_is_accepted_so_the_forged_refusals_are_for_their_one_flaw()
    {
        using var http = _suite.CreateClient(SuiteService.JobTracker, permissions: null);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("jobs", UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _forged.Control());
        using var response = await http.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task Credential_testing_is_rate_limited_per_caller_with_429_Retry_After_and_a_problem_while_reads_go_on()
    {
        using var http = _suite.CreateClient(SuiteService.SmartAccountSync);
        var statuses = new List<HttpStatusCode>();
        string? retryAfter = null;
        var problem = false;
        for (var attempt = 0; attempt < CredentialAttempts + 2; attempt++)
        {
            using var response = await http.PostAsync(new Uri("smart-accounts", UriKind.Relative), new StringContent("{}", Encoding.UTF8, "application/json"));
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                retryAfter = response.Headers.RetryAfter?.ToString();
                problem = IsProblem(response);
            }
        }

        using var read = await http.GetAsync(new Uri("smart-accounts", UriKind.Relative));
        Assert.Multiple(() =>
        {
            // The walk above may have used one attempt already: at most three answered, the rest refused.
            Assert.That(statuses.Count(s => s == HttpStatusCode.TooManyRequests), Is.GreaterThanOrEqualTo(2), string.Join(", ", statuses));
            Assert.That(statuses.Where(s => s != HttpStatusCode.TooManyRequests), Is.All.EqualTo(HttpStatusCode.BadRequest), "the attempts let through are validated as usual");
            Assert.That(int.TryParse(retryAfter, out var seconds) && seconds > 0, Is.True, $"Retry-After: {retryAfter}");
            Assert.That(problem, Is.True, "the 429 is a problem");
            Assert.That(read.StatusCode, Is.EqualTo(HttpStatusCode.OK), "reads are not limited");
        });
    }

    private static async Task ExpectUnauthorizedAsync(HttpClient http, ServiceEndpoint endpoint, string? token, string what, List<string> failures)
    {
        using var response = await SendAsync(http, endpoint, token);
        var challenge = response.Headers.WwwAuthenticate.ToString();
        if (response.StatusCode != HttpStatusCode.Unauthorized || !challenge.StartsWith("Bearer", StringComparison.Ordinal) || !IsProblem(response))
        {
            failures.Add($"{endpoint} with {what}: expected 401, a Bearer challenge and a problem, got {(int)response.StatusCode} [{challenge}] {await response.Content.ReadAsStringAsync()}");
        }
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, ServiceEndpoint endpoint, string? token)
    {
        using var request = new HttpRequestMessage(new HttpMethod(endpoint.Method), new Uri(Concrete(endpoint.Pattern).TrimStart('/'), UriKind.Relative));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (endpoint.Method is "POST" or "PUT" or "PATCH")
        {
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        }

        return await http.SendAsync(request);
    }

    /// <summary>A URL for the pattern: a new GUID for a guid parameter, a name no test uses for any other.</summary>
    private static string Concrete(string pattern) =>
        RouteParameter().Replace(pattern, match => match.Groups["constraint"].Value.Contains("guid", StringComparison.Ordinal) ? Guid.NewGuid().ToString() : "security-walk");

    private static bool IsErrorQueueAdmin(ServiceEndpoint endpoint) => endpoint.Pattern.StartsWith(ErrorQueueApi.Route, StringComparison.Ordinal);

    private static bool IsProblem(HttpResponseMessage response) => response.Content.Headers.ContentType?.MediaType == "application/problem+json";

    [GeneratedRegex(@"\{(?<name>[^}:?]+)(?<constraint>[^}]*)\}")]
    private static partial Regex RouteParameter();
}
