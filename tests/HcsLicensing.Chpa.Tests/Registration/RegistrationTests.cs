using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using HcsLicensing.Chpa.Tests.Support;
using HcsLicensing.Contracts.Chpa;

namespace HcsLicensing.Chpa.Tests.Registration;

/// <summary>
/// HLM's Registration and Cluster UnAssignment through CHPA, with the UC simulator's publishers restarting (2 s unless a
/// test says otherwise) and registering with the CSSM simulator.
/// </summary>
public class RegistrationTests
{
    private SharedChpa _shared = null!;

    [OneTimeSetUp]
    public async Task Start() => _shared = await SharedChpa.GetAsync();

    [Test]
    public async Task A_registration_passes_once_the_publisher_is_back_and_CSSM_lists_the_cluster_in_the_tokens_virtual_account()
    {
        var cluster = await _shared.NewClusterAsync("reg-ok", licenseMode: "HCS");
        var token = await _shared.Simulators.Cssm.CreateIdTokenAsync("HCS-CUST-0002");
        var clock = Stopwatch.StartNew();

        var response = await RegisterAsync(cluster.Name, token);
        var elapsed = clock.Elapsed;
        var onPublisher = await _shared.Simulators.Uc.GetClusterAsync(cluster.Name);
        var inCssm = await _shared.Simulators.Cssm.ProductInstanceNamesAsync("HCS-CUST-0002");
        var inventory = await _shared.Chpa.Http.GetFromJsonAsync<JsonObject>(new Uri($"/clusters/{cluster.Name}", UriKind.Relative));

        Assert.Multiple(() =>
        {
            Assert.That(response.ResponseCode, Is.EqualTo(ChpaResponseCode.PASS));
            Assert.That(response.ResponseReason, Is.EqualTo(ChpaResponseReason.chpaNoError));
            Assert.That(response.Changed, Is.True);
            Assert.That(response.RegistrationState, Is.EqualTo(UcRegistrationState.Registered));
            Assert.That(response.AuthorizationState, Is.EqualTo(UcAuthorizationState.Authorized));
            Assert.That((response.SmartAccountDomain, response.VirtualAccount), Is.EqualTo((CssmClient.Domain, "HCS-CUST-0002")));
            Assert.That(response.ProductInstanceId, Is.Not.Null.And.EqualTo(onPublisher.Registration.ProductInstanceId));
            Assert.That(elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(2)), "answered after the publisher's restart, not before");
            Assert.That(onPublisher.RegisterRequests, Is.EqualTo(1));
            Assert.That(inCssm, Does.Contain(cluster.Name));
            Assert.That(((string?)inventory!["smartAccountDomain"], (string?)inventory["virtualAccount"]), Is.EqualTo((CssmClient.Domain, "HCS-CUST-0002")), "Cluster Summary's Smart Account column");
            Assert.That(_shared.Chpa.Logs.Lines.Where(l => l.StartsWith("Warning Polly", StringComparison.Ordinal) || l.StartsWith("Error Polly", StringComparison.Ordinal)), Is.Empty,
                "the publisher's 503s while it restarts are expected, not warnings or failures");
        });
    }

    [Test]
    public async Task A_token_CSSM_refuses_fails_as_token_rejected()
    {
        var cluster = await _shared.NewClusterAsync("reg-badtoken");

        var response = await RegisterAsync(cluster.Name, "an-id-token-cssm-never-issued");

        Assert.Multiple(() =>
        {
            Assert.That(response.ResponseCode, Is.EqualTo(ChpaResponseCode.FAIL));
            Assert.That(response.ResponseReason, Is.EqualTo(ChpaResponseReason.chpaTokenRejected));
            Assert.That(response.RegistrationState, Is.EqualTo(UcRegistrationState.Failed));
            Assert.That(response.ResponseDescription, Does.StartWith("invalid_token"));
        });
    }

    [Test]
    public async Task A_registered_cluster_passes_without_being_registered_again()
    {
        var cluster = await _shared.NewClusterAsync("reg-twice");
        var token = await _shared.Simulators.Cssm.CreateIdTokenAsync("HCS-CUST-0001");

        var first = await RegisterAsync(cluster.Name, token);
        var second = await RegisterAsync(cluster.Name, token);
        var onPublisher = await _shared.Simulators.Uc.GetClusterAsync(cluster.Name);

        Assert.Multiple(() =>
        {
            Assert.That((first.ResponseCode, first.Changed), Is.EqualTo((ChpaResponseCode.PASS, true)));
            Assert.That((second.ResponseCode, second.Changed, second.VirtualAccount), Is.EqualTo((ChpaResponseCode.PASS, false, "HCS-CUST-0001")));
            Assert.That(onPublisher.RegisterRequests, Is.EqualTo(1), "the second request read the state and sent nothing");
        });
    }

    [Test]
    public async Task A_register_whose_answer_was_lost_is_not_sent_again_and_the_registration_still_completes()
    {
        var cluster = await _shared.NewClusterAsync("reg-lost", knobs: new { loseRegisterAnswer = true });
        var token = await _shared.Simulators.Cssm.CreateIdTokenAsync("HCS-CUST-0004");

        var response = await RegisterAsync(cluster.Name, token);
        var onPublisher = await _shared.Simulators.Uc.GetClusterAsync(cluster.Name);

        Assert.Multiple(() =>
        {
            Assert.That(response.ResponseCode, Is.EqualTo(ChpaResponseCode.PASS));
            Assert.That(response.VirtualAccount, Is.EqualTo("HCS-CUST-0004"));
            Assert.That(onPublisher.RegisterRequests, Is.EqualTo(1), "the outcome was unknown, so CHPA read the state instead of re-sending");
        });
    }

    [Test]
    public async Task Deregister_takes_the_cluster_out_of_its_virtual_account_once()
    {
        var cluster = await _shared.NewClusterAsync("dereg");
        var registered = await RegisterAsync(cluster.Name, await _shared.Simulators.Cssm.CreateIdTokenAsync("HCS-CUST-0005"));
        var before = await _shared.Simulators.Cssm.ProductInstanceNamesAsync("HCS-CUST-0005");

        var first = await _shared.Requester.AskAsync<DeregisterClusterRequest, DeregisterClusterResponse>(new() { ClusterName = cluster.Name });
        var second = await _shared.Requester.AskAsync<DeregisterClusterRequest, DeregisterClusterResponse>(new() { ClusterName = cluster.Name });
        var after = await _shared.Simulators.Cssm.ProductInstanceNamesAsync("HCS-CUST-0005");

        Assert.Multiple(() =>
        {
            Assert.That(registered.ResponseCode, Is.EqualTo(ChpaResponseCode.PASS));
            Assert.That(before, Does.Contain(cluster.Name));
            Assert.That((first.ResponseCode, first.Changed, first.RegistrationState), Is.EqualTo((ChpaResponseCode.PASS, true, (UcRegistrationState?)UcRegistrationState.Unregistered)));
            Assert.That((second.ResponseCode, second.Changed), Is.EqualTo((ChpaResponseCode.PASS, false)), "not registered any more: nothing to do");
            Assert.That(after, Does.Not.Contain(cluster.Name));
        });
    }

    private async Task<RegisterClusterResponse> RegisterAsync(string clusterName, string token)
    {
        try
        {
            return await _shared.Requester.AskAsync<RegisterClusterRequest, RegisterClusterResponse>(new() { ClusterName = clusterName, IdToken = token }, TimeSpan.FromSeconds(60));
        }
        catch (MassTransit.RequestTimeoutException)
        {
            // No answer: what CHPA did with this cluster's registration and its outbox meanwhile, for whoever reads the failure.
            foreach (var line in _shared.Chpa.Logs.Lines.Where(l => l.Contains(clusterName, StringComparison.Ordinal) || l.Contains("Outbox", StringComparison.Ordinal) || l.Contains("PollRegistration", StringComparison.Ordinal)).TakeLast(60))
            {
                await TestContext.Out.WriteLineAsync(line.Length > 600 ? line[..600] : line);
            }

            throw;
        }
    }
}
