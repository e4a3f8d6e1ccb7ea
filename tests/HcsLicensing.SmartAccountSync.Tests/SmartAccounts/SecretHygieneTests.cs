using System.Net.Http.Json;
using HcsLicensing.SmartAccountSync.Tests.Support;
using Npgsql;

namespace HcsLicensing.SmartAccountSync.Tests.SmartAccounts;

/// <summary>The client secret is write-only: in no log line, span or API answer, and not in the database in clear.</summary>
public class SecretHygieneTests
{
    [Test]
    public async Task The_client_secret_appears_in_no_log_line_span_or_API_response_and_is_encrypted_at_rest()
    {
        using var spans = new SpanCapture();
        await using var host = await SyncHost.StartAsync(virtualAccounts: 50);
        var secret = host.Cssm.Secret;
        var answers = new List<string>();

        // A run that touches every path the secret travels: configuration (right and wrong), syncs, a 401 refresh, tokens.
        using (var wrong = await host.ConfigureAsync(Simulator.Domain, Simulator.ClientId, secret + "-wrong"))
        {
            answers.Add(await wrong.Content.ReadAsStringAsync());
        }

        var configured = await host.ConfigureDemoAndWaitAsync();
        using (var again = await host.ConfigureAsync(Simulator.Domain, Simulator.ClientId, secret))
        {
            answers.Add(await again.Content.ReadAsStringAsync());
        }

        await host.Cssm.ControlAsync("oauth/revoke");
        await host.WaitForSyncAsync((await host.RequestSyncAsync(configured.SmartAccount.Id)).JobId);
        await host.Bus.RequestTokenAsync(Simulator.Domain, "HCS-CUST-0002");
        foreach (var path in new[] { "/smart-accounts", $"/smart-accounts/{configured.SmartAccount.Id}", "/virtual-accounts", "/transport-settings", $"/syncs/{configured.SyncJobId}" })
        {
            answers.Add(await host.Http.GetStringAsync(new Uri(path, UriKind.Relative)));
        }

        var stored = await StoredSecretAsync(host.Database);

        Assert.Multiple(() =>
        {
            Assert.That(host.Logs.Lines, Has.Count.GreaterThan(50), "the capture saw the service's logging");
            Assert.That(host.Logs.Lines.Where(l => l.Contains(secret, StringComparison.Ordinal)), Is.Empty, "log lines");
            Assert.That(spans.Spans, Has.Count.GreaterThan(20), "the listener saw the spans");
            Assert.That(spans.Spans.Where(s => s.Contains(secret, StringComparison.Ordinal)), Is.Empty, "spans");
            Assert.That(answers.Where(a => a.Contains(secret, StringComparison.Ordinal)), Is.Empty, "API answers");
            Assert.That(answers, Has.Some.Contains("\"clientId\":\"hcs-demo-client\""), "the client id is shown, the secret is not");
            Assert.That(stored, Is.Not.Empty.And.Not.Contains(secret), "stored encrypted");
        });
    }

    private static async Task<string> StoredSecretAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT protected_client_secret FROM smart_accounts", connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
