using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using HcsLicensing.Contracts.Audit;
using HcsLicensing.Contracts.Jobs;
using HcsLicensing.Contracts.SmartAccounts;
using HcsLicensing.ServiceDefaults.Http;
using HcsLicensing.SmartAccountSync.SmartAccounts;
using HcsLicensing.SmartAccountSync.Tests.Support;
using HcsLicensing.TestBed.Security;

namespace HcsLicensing.SmartAccountSync.Tests.SmartAccounts;

/// <summary>Connecting a smart account: CSSM checks the credentials first; the name comes from CSSM; several side by side.</summary>
public class SmartAccountConfigurationTests
{
    private SyncHost host = null!;

    [SetUp]
    public async Task Start() => host = await SyncHost.StartAsync(virtualAccounts: 30);

    [TearDown]
    public async Task Stop() => await host.DisposeAsync();

    [Test]
    public async Task Right_credentials_store_the_account_with_its_name_from_CSSM_and_start_a_sync_job()
    {
        using var response = await host.ConfigureAsync(Simulator.Domain, Simulator.ClientId, host.Cssm.Secret);
        var configured = await response.Content.ReadFromJsonAsync<SmartAccountConfiguredDto>(SyncHost.Json);
        var sync = await host.WaitForSyncAsync(configured!.SyncJobId);
        var created = await host.Bus.WaitForAsync<JobCreated>(j => j.JobId == configured.SyncJobId);
        var succeeded = await host.Bus.WaitForAsync<JobSucceeded>(j => j.JobId == configured.SyncJobId);
        var announced = await host.Bus.WaitForAsync<SmartAccountConfigured>(e => e.SmartAccountId == configured.SmartAccount.Id);
        var audited = await host.Bus.WaitForAsync<ConfigurationChanged>(e => e.EntityType == "Smart Account");

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(response.Headers.Location?.ToString(), Is.EqualTo($"/smart-accounts/{configured.SmartAccount.Id}"));
            Assert.That(configured.SmartAccount.Name, Is.EqualTo("HCS-DEMO"), "the Smart Account Name is filled in from CSSM");
            Assert.That(configured.SmartAccount.AccountType, Is.EqualTo("CUSTOMER"));
            Assert.That(sync.Status, Is.EqualTo("Succeeded"));
            Assert.That(sync.Trigger, Is.EqualTo("Configuration"));
            Assert.That(created.EntityName, Is.EqualTo("HCS-DEMO"));
            Assert.That(created.Steps, Is.EqualTo(new[] { "Authentication", "Fetch Virtual Accounts", "Fetch Licenses", "Update Virtual Accounts" }));
            Assert.That(succeeded.Description, Does.Contain("completed"));
            Assert.That(announced.SyncJobId, Is.EqualTo(configured.SyncJobId));
            Assert.That(created.RequestedBy, Is.EqualTo(TestIssuer.ClientId), "the sync job names the caller who connected the account");
            Assert.That((audited.Service, audited.EntityName, audited.ChangedBy), Is.EqualTo(("SmartAccountSync", Simulator.Domain, TestIssuer.ClientId)));
            Assert.That(audited.Change, Does.StartWith("Smart account connected: HCS-DEMO, API client").And.Not.Contain(host.Cssm.Secret), "the audit line names the client, never the secret");
        });
    }

    [Test]
    public async Task A_wrong_secret_gets_problem_details_naming_invalid_client_and_stores_nothing()
    {
        using var response = await host.ConfigureAsync(Simulator.Domain, Simulator.ClientId, "not-the-secret");
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        var accounts = await host.GetAsync<PageDto<SmartAccountDto>>("/smart-accounts");

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That((string?)problem!["title"], Is.EqualTo("CSSM refused the client credentials"));
            Assert.That((string?)problem["reason"], Is.EqualTo("invalid_client"));
            Assert.That((string?)problem["detail"], Does.Contain("Invalid client"));
            Assert.That(accounts!.TotalCount, Is.Zero, "nothing is stored");
            Assert.That(await host.Cssm.CallsAsync("POST", "/as/token.oauth2", "401"), Is.EqualTo(1), "the check was CSSM's");
        });
    }

    [Test]
    public async Task A_client_not_granted_the_domain_is_refused_and_stores_nothing()
    {
        using var response = await host.ConfigureAsync(Simulator.Domain, Simulator.OtherClientId, Simulator.OtherSecret);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        var accounts = await host.GetAsync<PageDto<SmartAccountDto>>("/smart-accounts");

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
            Assert.That((string?)problem!["reason"], Is.EqualTo("domain_not_granted"));
            Assert.That(accounts!.TotalCount, Is.Zero);
        });
    }

    [Test]
    public async Task Missing_fields_are_a_validation_problem_per_field()
    {
        using var response = await host.ConfigureAsync("", "", "");
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(problem!["errors"]!.AsObject().Select(e => e.Key), Is.EquivalentTo(new[] { "domain", "clientId", "clientSecret" }));
        });
    }

    [Test]
    public async Task Two_smart_accounts_live_side_by_side_each_with_its_own_VAs()
    {
        var demo = await host.ConfigureDemoAndWaitAsync();
        using var other = await host.ConfigureAsync(Simulator.OtherDomain, Simulator.OtherClientId, Simulator.OtherSecret);
        var otherConfigured = (await other.Content.ReadFromJsonAsync<SmartAccountConfiguredDto>(SyncHost.Json))!;
        await host.WaitForSyncAsync(otherConfigured.SyncJobId);

        var accounts = await host.GetAsync<PageDto<SmartAccountDto>>("/smart-accounts");
        var byName = await host.GetAsync<PageDto<SmartAccountDto>>("/smart-accounts?name=other");
        var otherVas = await host.VirtualAccountsAsync("smartAccount=HCS-OTHER&pageSize=500");
        var demoVas = await host.VirtualAccountsAsync($"smartAccount={Simulator.Domain}&pageSize=500");

        Assert.Multiple(() =>
        {
            Assert.That(accounts!.Items.Select(a => a.Name), Is.EqualTo(new[] { "HCS-DEMO", "HCS-OTHER" }));
            Assert.That(byName!.Items.Select(a => a.Domain), Is.EqualTo(new[] { Simulator.OtherDomain }));
            Assert.That(otherVas.TotalCount, Is.EqualTo(40 - 4), "40 VAs, every tenth via satellite");
            Assert.That(otherVas.Items.Select(v => v.SmartAccountName).Distinct(), Is.EqualTo(new[] { "HCS-OTHER" }));
            Assert.That(demoVas.TotalCount, Is.EqualTo(30 - 3));
            Assert.That(accounts.Items.Single(a => a.Id == demo.SmartAccount.Id).VirtualAccounts, Is.EqualTo(27));
        });
    }
}
