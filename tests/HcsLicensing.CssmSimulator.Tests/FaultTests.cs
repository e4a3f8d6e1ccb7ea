using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace HcsLicensing.CssmSimulator.Tests;

/// <summary>The misbehaviour knobs: a burst of 429s with Retry-After, then errors, then normal service; all counted.</summary>
public class FaultTests
{
    [Test]
    public async Task A_throttle_burst_then_an_error_burst_answer_in_order_and_are_counted()
    {
        await using var sim = await SimulatorServer.StartAsync(virtualAccounts: 3);
        await sim.AuthorizeAsync();
        await sim.Http.PutAsJsonAsync(new Uri("/sim/control/faults", UriKind.Relative), new { throttleNext = 2, failNext = 1, failStatus = 502, retryAfterSeconds = 7 });

        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 4; i++)
        {
            answers.Add(await sim.Http.GetAsync(new Uri($"{SimulatorServer.Swapi}/v2/accounts", UriKind.Relative)));
        }

        var calls = (await sim.GetJsonAsync("/sim/inspect/calls")).AsArray();
        var accounts = calls.Single(c => (string?)c!["path"] == $"{SimulatorServer.Swapi}/v2/accounts")!;

        Assert.Multiple(() =>
        {
            Assert.That(answers.Select(a => a.StatusCode), Is.EqualTo(new[] { HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests, HttpStatusCode.BadGateway, HttpStatusCode.OK }));
            Assert.That(answers[0].Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(7)));
            Assert.That((int?)accounts["count"], Is.EqualTo(4));
            Assert.That((int?)accounts["byStatus"]!["429"], Is.EqualTo(2));
        });
        answers.ForEach(a => a.Dispose());
    }

    [Test]
    public async Task Ten_thousand_virtual_accounts_are_listed_in_one_answer()
    {
        await using var sim = await SimulatorServer.StartAsync(virtualAccounts: 10_000);
        await sim.AuthorizeAsync();

        var body = await sim.GetJsonAsync($"{SimulatorServer.Swapi}/v1/accounts/{SimulatorServer.Domain}/CUSTOMER/virtual-accounts");

        Assert.Multiple(() =>
        {
            Assert.That(body["virtualAccounts"]!.AsArray(), Has.Count.EqualTo(10_000));
            Assert.That((string?)body["virtualAccounts"]![9_999]!["name"], Is.EqualTo("HCS-CUST-10000"));
        });
    }
}
