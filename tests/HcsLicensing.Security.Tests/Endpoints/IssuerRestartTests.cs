using System.Net;
using System.Net.Http.Headers;
using HcsLicensing.ServiceDefaults.Security;
using HcsLicensing.TestBed.Suite;

namespace HcsLicensing.Security.Tests.Endpoints;

/// <summary>The issuer keeps its signing key across a restart: tokens issued before stay valid, and so do new ones.</summary>
[TestFixture]
[NonParallelizable]
public sealed class IssuerRestartTests
{
    [Test]
    public async Task A_token_issued_before_the_issuer_restarts_is_still_accepted_and_the_signing_keys_are_the_same()
    {
        var suite = await SecuritySuite.GetAsync();
        using var issuer = suite.CreateClient(SuiteService.Identity);
        var keysBefore = await issuer.GetStringAsync(new Uri(".well-known/jwks", UriKind.Relative));
        var before = await suite.Tokens.GetAsync(HcsPermissions.Read);

        await suite.RestartAsync(SuiteService.Identity);

        var keysAfter = await issuer.GetStringAsync(new Uri(".well-known/jwks", UriKind.Relative));
        using var http = suite.CreateClient(SuiteService.JobTracker, permissions: null);
        using var old = new HttpRequestMessage(HttpMethod.Get, new Uri("jobs", UriKind.Relative));
        old.Headers.Authorization = new AuthenticationHeaderValue("Bearer", before);
        using var oldAnswer = await http.SendAsync(old);
        using var fresh = await suite.CreateClient(SuiteService.JobTracker, [HcsPermissions.Read, HcsPermissions.Operate]).GetAsync(new Uri("jobs", UriKind.Relative));
        Assert.Multiple(() =>
        {
            Assert.That(keysAfter, Is.EqualTo(keysBefore), "the JWKS after the restart");
            Assert.That(oldAnswer.StatusCode, Is.EqualTo(HttpStatusCode.OK), "a token from before the restart");
            Assert.That(fresh.StatusCode, Is.EqualTo(HttpStatusCode.OK), "a token from after the restart");
        });
    }
}
