using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using HcsLicensing.Chpa.Tests.Support;
using HcsLicensing.Contracts.Chpa;

namespace HcsLicensing.Chpa.Tests.Security;

/// <summary>
/// Credentials and ID tokens go into CHPA and never come out: not in an answer, not in a log line at any level, not in a
/// span. Exercised on success and on the failure paths, where exception messages are most likely to carry them.
/// </summary>
public class CredentialLeakTests
{
    [Test]
    public async Task Credentials_and_tokens_appear_in_no_log_line_span_or_answer()
    {
        var shared = await SharedChpa.GetAsync();
        using var spans = new CapturedSpans();
        var good = await shared.NewClusterAsync("leak-ok");
        var refused = await shared.NewClusterAsync("leak-401", knobs: new { refuseCredentials = true });
        var wrongPassword = ClusterSpec.New("leak-wrong");
        await shared.Simulators.Uc.PutClusterAsync(wrongPassword);
        var asEntered = wrongPassword with { ManagementPassword = $"Wrong!{Guid.NewGuid():N}" };
        await shared.Chpa.AddClusterAsync(asEntered);
        var changedPassword = $"Changed!{Guid.NewGuid():N}";
        var token = await shared.Simulators.Cssm.CreateIdTokenAsync("HCS-CUST-0005");

        var answers = new List<object>
        {
            await shared.Requester.AskAsync<VerifyClusterRequest, VerifyClusterResponse>(new() { ClusterName = good.Name }),
            await shared.Requester.AskAsync<VerifyClusterRequest, VerifyClusterResponse>(new() { ClusterName = refused.Name }),
            await shared.Requester.AskAsync<VerifyClusterRequest, VerifyClusterResponse>(new() { ClusterName = wrongPassword.Name }),
            await shared.Requester.AskAsync<RegisterClusterRequest, RegisterClusterResponse>(new() { ClusterName = good.Name, IdToken = token }, TimeSpan.FromSeconds(60)),
            await shared.Requester.AskAsync<RegisterClusterRequest, RegisterClusterResponse>(new() { ClusterName = refused.Name, IdToken = token }),
        };
        using var change = await shared.Chpa.Http.PutAsJsonAsync(
            new Uri($"/clusters/{good.Name}", UriKind.Relative),
            new { type = "CUCM", version = "12.5", publisherAddress = good.Publisher, managementCredentials = new { userName = "ccmadministrator", password = changedPassword } });
        var http = new List<string>
        {
            await change.Content.ReadAsStringAsync(),
            await shared.Chpa.Http.GetStringAsync(new Uri($"/clusters/{good.Name}", UriKind.Relative)),
            await shared.Chpa.Http.GetStringAsync(new Uri("/clusters?pageSize=500", UriKind.Relative)),
        };

        var secrets = Secrets(good, refused, wrongPassword, asEntered).Append(changedPassword).Append(token).ToList();
        var logs = shared.Chpa.Logs.Lines;
        var spanTexts = spans.Spans;
        var answerTexts = answers.Select(a => JsonSerializer.Serialize(a, a.GetType())).Concat(http).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(logs.Any(l => l.Contains(wrongPassword.Name, StringComparison.Ordinal)), Is.True, "the capture saw CHPA's logs about these clusters");
            Assert.That(spanTexts.Any(s => s.Contains(good.Publisher, StringComparison.Ordinal)), Is.True, "the listener saw the calls to the publishers");
            Assert.That(((VerifyClusterResponse)answers[0]).ResponseCode, Is.EqualTo(ChpaResponseCode.PASS));
            Assert.That(((VerifyClusterResponse)answers[2]).ResponseReason, Is.EqualTo(ChpaResponseReason.chpaCredentialsRefused));
            Assert.That(((RegisterClusterResponse)answers[3]).ResponseCode, Is.EqualTo(ChpaResponseCode.PASS));
            foreach (var secret in secrets)
            {
                Assert.That(logs.Where(l => l.Contains(secret, StringComparison.Ordinal)), Is.Empty, "a log line holds a secret");
                Assert.That(spanTexts.Where(s => s.Contains(secret, StringComparison.Ordinal)), Is.Empty, "a span holds a secret");
                Assert.That(answerTexts.Where(a => a.Contains(secret, StringComparison.Ordinal)), Is.Empty, "an answer holds a secret");
            }
        });
    }

    /// <summary>Every password, and every Basic header value a request could carry.</summary>
    private static IEnumerable<string> Secrets(params ClusterSpec[] clusters) =>
        clusters.SelectMany(c => new[]
        {
            c.ManagementPassword,
            c.PlatformPassword,
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{c.ManagementUserName}:{c.ManagementPassword}")),
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{c.PlatformUserName}:{c.PlatformPassword}")),
        });
}
