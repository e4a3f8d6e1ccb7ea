using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using HcsLicensing.Chpa.Tests.Support;
using Npgsql;

namespace HcsLicensing.Chpa.Tests.Inventory;

/// <summary>The inventory API of the running service: what an operator adds, changes, lists and removes.</summary>
public class InventoryApiTests
{
    private SharedChpa _shared = null!;

    private HttpClient Http => _shared.Chpa.Http;

    [OneTimeSetUp]
    public async Task Start() => _shared = await SharedChpa.GetAsync();

    [Test]
    public async Task An_added_cluster_reads_back_with_the_Cluster_Summary_fields_and_no_credentials()
    {
        var cluster = ClusterSpec.New("inv-add");

        using var created = await Http.PostAsJsonAsync(new Uri("/clusters", UriKind.Relative), ChpaInstance.Body(cluster));
        var body = await created.Content.ReadAsStringAsync();
        var read = await Http.GetFromJsonAsync<JsonObject>(new Uri($"/clusters/{cluster.Name}", UriKind.Relative));

        Assert.Multiple(() =>
        {
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(created.Headers.Location?.ToString(), Is.EqualTo($"/clusters/{cluster.Name}"));
            Assert.That((string?)read!["name"], Is.EqualTo(cluster.Name));
            Assert.That((string?)read["type"], Is.EqualTo("CUCM"));
            Assert.That((string?)read["version"], Is.EqualTo("12.5"));
            Assert.That((string?)read["publisherAddress"], Is.EqualTo(cluster.Publisher));
            Assert.That(read.ContainsKey("smartAccountDomain") && read.ContainsKey("virtualAccount"), Is.True, "the Smart Account column");
            Assert.That((bool?)read["hasManagementCredentials"], Is.True);
            Assert.That((bool?)read["hasPlatformCredentials"], Is.True);
            Assert.That(body + read.ToJsonString(), Does.Not.Contain(cluster.ManagementPassword).And.Not.Contain(cluster.PlatformPassword).And.Not.Contain("ccmadministrator"));
        });
    }

    [Test]
    public async Task Credentials_are_encrypted_at_rest()
    {
        var cluster = ClusterSpec.New("inv-rest");
        await _shared.Chpa.AddClusterAsync(cluster);

        await using var connection = new NpgsqlConnection(_shared.Chpa.Database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT management_credentials || platform_credentials FROM clusters WHERE name = @name", connection);
        command.Parameters.AddWithValue("name", cluster.Name);
        var stored = (string)(await command.ExecuteScalarAsync())!;

        Assert.Multiple(() =>
        {
            Assert.That(stored, Has.Length.GreaterThan(100), "ciphertext is stored");
            Assert.That(stored, Does.Not.Contain(cluster.ManagementPassword).And.Not.Contain(cluster.PlatformPassword).And.Not.Contain("osadmin"));
        });
    }

    [Test]
    public async Task A_change_keeps_credentials_left_out_and_a_removed_cluster_is_gone()
    {
        var cluster = await _shared.NewClusterAsync("inv-change");

        using var changed = await Http.PutAsJsonAsync(
            new Uri($"/clusters/{cluster.Name}", UriKind.Relative),
            new { type = "CUCXN", version = "14.0", publisherAddress = cluster.Publisher });
        var verify = await _shared.Requester.AskAsync<Contracts.Chpa.VerifyClusterRequest, Contracts.Chpa.VerifyClusterResponse>(new() { ClusterName = cluster.Name });
        using var removed = await Http.DeleteAsync(new Uri($"/clusters/{cluster.Name}", UriKind.Relative));
        using var afterRemoval = await Http.GetAsync(new Uri($"/clusters/{cluster.Name}", UriKind.Relative));
        var changedBody = await changed.Content.ReadFromJsonAsync<JsonObject>();

        Assert.Multiple(() =>
        {
            Assert.That(changed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((string?)changedBody!["type"], Is.EqualTo("CUCXN"));
            Assert.That((string?)changedBody["version"], Is.EqualTo("14.0"));
            Assert.That(verify.ResponseCode, Is.EqualTo(Contracts.Chpa.ChpaResponseCode.PASS), "the credentials kept still reach the publisher");
            Assert.That(removed.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(afterRemoval.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        });
    }

    [Test]
    public async Task The_list_filters_by_type_and_pages_in_name_order()
    {
        var tag = $"inv-list-{Guid.NewGuid().ToString("N")[..4]}";
        var names = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var cluster = ClusterSpec.New(tag) with { Name = $"{tag}-{i}", Type = "CER" };
            await _shared.Chpa.AddClusterAsync(cluster);
            names.Add(cluster.Name);
        }

        var all = await Http.GetFromJsonAsync<JsonObject>(new Uri("/clusters?type=CER&pageSize=500", UriKind.Relative));
        var ours = all!["items"]!.AsArray().Select(i => (string)i!["name"]!).Where(n => n.StartsWith(tag, StringComparison.Ordinal)).ToList();
        var firstPage = await Http.GetFromJsonAsync<JsonObject>(new Uri("/clusters?pageSize=1&page=1", UriKind.Relative));

        Assert.Multiple(() =>
        {
            Assert.That(ours, Is.EqualTo(names));
            Assert.That(all["items"]!.AsArray().Select(i => (string)i!["type"]!).Distinct(), Is.EqualTo(new[] { "CER" }));
            Assert.That(firstPage!["items"]!.AsArray(), Has.Count.EqualTo(1));
            Assert.That((int)firstPage["totalCount"]!, Is.GreaterThanOrEqualTo(3));
        });
    }

    [Test]
    public async Task Bad_input_is_a_problem_naming_each_field()
    {
        using var response = await Http.PostAsJsonAsync(new Uri("/clusters", UriKind.Relative), new
        {
            name = "bad name!",
            type = "PBX",
            version = "twelve",
            publisherAddress = "not a host",
            managementCredentials = new { userName = "ccmadministrator", password = "" },
        });
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        var errors = problem!["errors"]!.AsObject().Select(e => e.Key).ToList();

        using var wrongType = await Http.PostAsync(
            new Uri("/clusters", UriKind.Relative), new StringContent("""{"name":"x1","version":12.5}""", System.Text.Encoding.UTF8, "application/json"));
        var wrongTypeProblem = await wrongType.Content.ReadFromJsonAsync<JsonObject>();

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That(errors, Is.EquivalentTo(new[] { "name", "type", "version", "publisherAddress", "managementCredentials.password", "platformCredentials" }));
            Assert.That(wrongType.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(wrongTypeProblem!["errors"]!.AsObject().Select(e => e.Key), Is.EqualTo(new[] { "version" }));
        });
    }

    [Test]
    public async Task A_second_cluster_of_the_same_name_is_a_conflict_and_an_unknown_one_is_not_found()
    {
        var cluster = ClusterSpec.New("inv-dup");
        await _shared.Chpa.AddClusterAsync(cluster);

        using var duplicate = await Http.PostAsJsonAsync(new Uri("/clusters", UriKind.Relative), ChpaInstance.Body(cluster with { Name = cluster.Name.ToUpperInvariant() }));
        using var unknownChange = await Http.PutAsJsonAsync(new Uri("/clusters/no-such-cluster", UriKind.Relative), new { type = "CUCM", version = "12.5", publisherAddress = "x.example" });
        using var unknownRemove = await Http.DeleteAsync(new Uri("/clusters/no-such-cluster", UriKind.Relative));

        Assert.Multiple(() =>
        {
            Assert.That(duplicate.StatusCode, Is.EqualTo(HttpStatusCode.Conflict), "names are unique regardless of case");
            Assert.That(unknownChange.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(unknownRemove.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        });
    }

    [Test]
    public async Task Credentials_that_cannot_be_decrypted_fail_as_refused_and_reach_no_publisher()
    {
        var cluster = await _shared.NewClusterAsync("inv-lostkey");
        await using (var connection = new NpgsqlConnection(_shared.Chpa.Database))
        {
            await connection.OpenAsync();
            // What a lost key ring looks like from CHPA: ciphertext no key can open.
            await using var command = new NpgsqlCommand("UPDATE clusters SET management_credentials = 'CfDJ8garbage', platform_credentials = 'CfDJ8garbage' WHERE name = @name", connection);
            command.Parameters.AddWithValue("name", cluster.Name);
            await command.ExecuteNonQueryAsync();
        }

        var response = await _shared.Requester.AskAsync<Contracts.Chpa.VerifyClusterRequest, Contracts.Chpa.VerifyClusterResponse>(new() { ClusterName = cluster.Name });

        Assert.Multiple(() =>
        {
            Assert.That(response.ResponseCode, Is.EqualTo(Contracts.Chpa.ChpaResponseCode.FAIL));
            Assert.That(response.ResponseReason, Is.EqualTo(Contracts.Chpa.ChpaResponseReason.chpaCredentialsRefused));
            Assert.That(response.ResponseDescription, Does.Contain("enter them again"));
        });
    }
}
