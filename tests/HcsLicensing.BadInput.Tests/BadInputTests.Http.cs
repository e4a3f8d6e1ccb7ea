using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using FsCheck.Fluent;
using HcsLicensing.TestBed.Suite;
using Npgsql;

namespace HcsLicensing.BadInput.Tests;

/// <summary>
/// At least 2,000 generated malformed requests (<see cref="MalformedRequests"/>) across every HTTP endpoint of the
/// running suite: none answers 5xx or succeeds, every answer is a problem, every 400/422 names the broken field, and
/// no service's database changes.
/// </summary>
public partial class BadInputTests
{
    private const int Requests = 2_100;

    private HcsSuite _suite = null!;
    private string _inventoryCluster = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _suite = await HcsSuite.StartAsync(SuiteOptions.Fast);
        _inventoryCluster = _suite.TakeClusterNames(1)[0];
        await _suite.AddClustersToInventoryAsync([_inventoryCluster]);
    }

    [OneTimeTearDown]
    public async Task Stop() => await _suite.DisposeAsync();

    [Test]
    [Order(1)] // before the dump test, which changes the databases
    public async Task Malformed_requests_are_refused_as_problems_naming_the_field_and_change_no_database()
    {
        var requests = MalformedRequests.All(_inventoryCluster).Sample(Requests, 50);
        var before = await SettledFingerprintsAsync();
        var clients = Enum.GetValues<SuiteService>().Where(s => s is not SuiteService.CssmSimulator and not SuiteService.UcSimulator and not SuiteService.Console)
            .ToDictionary(s => s, s => ApiClients.For(_suite, s));
        var failures = new ConcurrentBag<string>();
        var statuses = new ConcurrentDictionary<int, int>();

        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (request, cancellationToken) =>
        {
            using var message = new HttpRequestMessage(request.Method, new Uri(request.PathAndQuery, UriKind.Relative));
            if (request.Body is not null)
            {
                message.Content = new StringContent(request.Body, Encoding.UTF8);
                message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            }

            using var response = await clients[request.Service].SendAsync(message, cancellationToken);
            var status = (int)response.StatusCode;
            statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (Why(request, status, response.Content.Headers.ContentType?.MediaType, text) is { } why)
            {
                failures.Add($"{why} <- {request}: {(text.Length > 300 ? text[..300] : text)}");
            }
        });
        var after = await FingerprintsAsync();
        foreach (var client in clients.Values)
        {
            client.Dispose();
        }

        TestContext.Out.WriteLine($"{requests.Length} malformed requests to {requests.Select(r => (r.Service, r.Method, Route(r))).Distinct().Count()} route groups of the four services; answers: " +
            string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key} x{s.Value}")));
        Assert.Multiple(() =>
        {
            Assert.That(requests, Has.Length.GreaterThanOrEqualTo(2_000));
            Assert.That(failures.Take(25), Is.Empty, $"{failures.Count} of {requests.Length} answered wrongly");
            Assert.That(after.Where(t => before.GetValueOrDefault(t.Key) != t.Value).Select(t => t.Key), Is.Empty, "no database table changed");
        });
    }

    /// <summary>Why an answer is wrong for a malformed request, or null when it is right.</summary>
    private static string? Why(MalformedRequest request, int status, string? mediaType, string body)
    {
        if (status is < 400 or >= 500)
        {
            return $"answered {status}";
        }

        if (mediaType != "application/problem+json")
        {
            return $"{status} without a problem body ({mediaType})";
        }

        if (status is not (400 or 422))
        {
            return null; // 404 (an id that names nothing), 409, 413, 415: a problem saying what, no field to name
        }

        var errors = JsonNode.Parse(body)?["errors"]?.AsObject();
        if (errors is null || errors.Count == 0)
        {
            return $"{status} names no field";
        }

        return request.Fields.Length == 0 || errors.Any(e => request.Fields.Any(f => string.Equals(e.Key, f, StringComparison.OrdinalIgnoreCase)))
            ? null
            : $"{status} names {string.Join(", ", errors.Select(e => e.Key))}, not {string.Join(" or ", request.Fields)}";
    }

    private static string Route(MalformedRequest request) => request.PathAndQuery.Split('?')[0].Split('/')[0];

    /// <summary>
    /// The fingerprints once the set-up's own messages are all handled (two reads a second apart agree): adding the
    /// inventory cluster sends a ConfigurationChanged that JobTracker's audit trail may record a moment later, which
    /// would otherwise count as a change made by a malformed request (it did once in CI).
    /// </summary>
    private async Task<Dictionary<string, string>> SettledFingerprintsAsync()
    {
        var previous = await FingerprintsAsync();
        for (var attempt = 0; attempt < 30; attempt++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            var current = await FingerprintsAsync();
            if (current.Count == previous.Count && current.All(t => previous.GetValueOrDefault(t.Key) == t.Value))
            {
                return current;
            }

            previous = current;
        }

        throw new TimeoutException("the databases kept changing for 30 s before the malformed requests were sent");
    }

    /// <summary>Every table of every service's database, as an md5 of its rows in order.</summary>
    private async Task<Dictionary<string, string>> FingerprintsAsync()
    {
        var result = new Dictionary<string, string>();
        foreach (var service in new[] { SuiteService.Chpa, SuiteService.ClusterAssign, SuiteService.JobTracker, SuiteService.SmartAccountSync })
        {
            await using var connection = new NpgsqlConnection(_suite.DatabaseOf(service));
            await connection.OpenAsync();
            var tables = new List<string>();
            await using (var list = new NpgsqlCommand("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename", connection))
            await using (var reader = await list.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    tables.Add(reader.GetString(0));
                }
            }

            foreach (var table in tables)
            {
                await using var hash = new NpgsqlCommand($"SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM \"{table}\" t", connection);
                result[$"{service}.{table}"] = (string)(await hash.ExecuteScalarAsync())!;
            }
        }

        return result;
    }
}
