using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using HcsLicensing.Chpa.Tests.Support;
using HcsLicensing.Contracts.Chpa;
using Npgsql;

namespace HcsLicensing.Chpa.Tests.Security;

/// <summary>
/// The inventory cannot be used to send a cluster's stored passwords to a host of the caller's choosing: a new
/// publisher address needs the credentials in the same request, only allowed publishers are accepted, and stored
/// credentials decrypt only for the address they were entered for. The UC simulator's traffic record (every host
/// called, with or without credentials) is the witness.
/// </summary>
public class CredentialTheftTests
{
    private SharedChpa _shared = null!;

    private HttpClient Http => _shared.Chpa.Http;

    [OneTimeSetUp]
    public async Task Start() => _shared = await SharedChpa.GetAsync();

    [Test]
    public async Task A_new_publisher_address_without_credentials_is_refused_naming_them_and_changes_nothing()
    {
        var cluster = await _shared.NewClusterAsync("theft-nocreds");
        var thief = $"thief-{Guid.NewGuid():N}.hcs.test"; // inside the allow-list: only the missing credentials stop it

        using var onlyAddress = await Http.PutAsJsonAsync(Path(cluster), new { type = "CUCM", version = "12.5", publisherAddress = thief });
        using var oneOfTwo = await Http.PutAsJsonAsync(Path(cluster), new
        {
            type = "CUCM",
            version = "12.5",
            publisherAddress = thief,
            managementCredentials = new { userName = "ccmadministrator", password = "guess" },
        });
        var problem = await onlyAddress.Content.ReadFromJsonAsync<JsonObject>();
        var oneOfTwoProblem = await oneOfTwo.Content.ReadFromJsonAsync<JsonObject>();
        var stored = await Http.GetFromJsonAsync<JsonObject>(Path(cluster));
        var verify = await _shared.Requester.AskAsync<VerifyClusterRequest, VerifyClusterResponse>(new() { ClusterName = cluster.Name });
        var traffic = await _shared.Simulators.Uc.GetTrafficAsync();

        Assert.Multiple(() =>
        {
            Assert.That(onlyAddress.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
            Assert.That(onlyAddress.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That(Fields(problem), Is.EquivalentTo(new[] { "managementCredentials", "platformCredentials" }));
            Assert.That(oneOfTwo.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
            Assert.That(Fields(oneOfTwoProblem), Is.EqualTo(new[] { "platformCredentials" }));
            Assert.That((string?)stored!["publisherAddress"], Is.EqualTo(cluster.Publisher), "the address is unchanged");
            Assert.That(verify.ResponseCode, Is.EqualTo(ChpaResponseCode.PASS), "the cluster still works at its own publisher");
            Assert.That(traffic.Where(t => t.Publisher == thief), Is.Empty, "nothing reached the named host");
        });
    }

    [Test]
    public async Task A_publisher_outside_the_allow_list_is_refused_even_with_credentials()
    {
        var cluster = await _shared.NewClusterAsync("theft-unlisted");
        var outside = $"collector-{Guid.NewGuid():N}.attacker.example.org";
        var added = ClusterSpec.New("theft-add") with { Publisher = outside };

        using var change = await Http.PutAsJsonAsync(Path(cluster), ChpaInstance.Body(cluster with { Publisher = outside }));
        using var add = await Http.PostAsJsonAsync(new Uri("/clusters", UriKind.Relative), ChpaInstance.Body(added));
        using var byIp = await Http.PutAsJsonAsync(Path(cluster), ChpaInstance.Body(cluster with { Publisher = "203.0.113.7" }));
        var changeProblem = await change.Content.ReadFromJsonAsync<JsonObject>();
        using var addedRead = await Http.GetAsync(new Uri($"/clusters/{added.Name}", UriKind.Relative));
        var traffic = await _shared.Simulators.Uc.GetTrafficAsync();

        Assert.Multiple(() =>
        {
            Assert.That(change.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
            Assert.That(Fields(changeProblem), Is.EqualTo(new[] { "publisherAddress" }));
            Assert.That(add.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
            Assert.That(byIp.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity), "an IP address outside every allowed CIDR");
            Assert.That(addedRead.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "nothing was added");
            Assert.That(traffic.Where(t => t.Publisher == outside), Is.Empty);
        });
    }

    [Test]
    public async Task An_address_changed_behind_the_API_gets_no_credentials_and_a_proper_change_does()
    {
        var cluster = await _shared.NewClusterAsync("theft-db");
        var moved = await _shared.NewClusterAsync("theft-moved"); // a second publisher the first cluster's row is pointed at
        var unlisted = $"tap-{Guid.NewGuid():N}.elsewhere.example.net";

        // What an attacker with write access to the table alone (not to the key ring) could try.
        await SetAddressInDatabaseAsync(cluster.Name, moved.Publisher);
        var towardsOther = await _shared.Requester.AskAsync<VerifyClusterRequest, VerifyClusterResponse>(new() { ClusterName = cluster.Name });
        await SetAddressInDatabaseAsync(cluster.Name, unlisted);
        var towardsUnlisted = await _shared.Requester.AskAsync<VerifyClusterRequest, VerifyClusterResponse>(new() { ClusterName = cluster.Name });

        // The operator's way: a new address with its credentials (here: the moved cluster's own).
        using var proper = await Http.PutAsJsonAsync(Path(cluster), ChpaInstance.Body(moved with { Name = cluster.Name }));
        var afterProperChange = await _shared.Requester.AskAsync<VerifyClusterRequest, VerifyClusterResponse>(new() { ClusterName = cluster.Name });
        var traffic = await _shared.Simulators.Uc.GetTrafficAsync();
        var movedTraffic = traffic.Single(t => t.Publisher == moved.Publisher);

        Assert.Multiple(() =>
        {
            Assert.That(towardsOther.ResponseReason, Is.EqualTo(ChpaResponseReason.chpaCredentialsRefused));
            Assert.That(towardsOther.ResponseDescription, Does.Contain("another publisher address"));
            Assert.That(towardsUnlisted.ResponseCode, Is.EqualTo(ChpaResponseCode.FAIL));
            Assert.That(traffic.Where(t => t.Publisher == unlisted), Is.Empty, "no call at all to the unlisted host");
            Assert.That(proper.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(afterProperChange.ResponseCode, Is.EqualTo(ChpaResponseCode.PASS), "credentials entered with the new address go there");
            Assert.That(movedTraffic.RequestsWithCredentials, Is.EqualTo(movedTraffic.Requests));
            Assert.That(
                traffic.Where(t => t.RequestsWithCredentials > 0 && !t.Publisher.EndsWith(".hcs.test", StringComparison.OrdinalIgnoreCase) && !t.Publisher.EndsWith(".hcs.example", StringComparison.OrdinalIgnoreCase)),
                Is.Empty,
                "in this whole test run, no credentials reached a host outside the allow-list");
        });
    }

    private static Uri Path(ClusterSpec cluster) => new($"/clusters/{cluster.Name}", UriKind.Relative);

    private static List<string> Fields(JsonObject? problem) => [.. problem!["errors"]!.AsObject().Select(e => e.Key)];

    private async Task SetAddressInDatabaseAsync(string clusterName, string address)
    {
        await using var connection = new NpgsqlConnection(_shared.Chpa.Database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("UPDATE clusters SET publisher_address = @address WHERE name = @name", connection);
        command.Parameters.AddWithValue("address", address);
        command.Parameters.AddWithValue("name", clusterName);
        Assert.That(await command.ExecuteNonQueryAsync(), Is.EqualTo(1));
    }
}
